/**
 * The icl experiment claim. It runs no check at the quick budget (at every size that trains in
 * seconds the claim did not show: proofs-notes/experiments.md), so here it is specified to stay
 * "not-run" at quick; its checks and sentinels run at standard and paper (`rankcheck verify
 * --budget standard --claim icl`, or `rankcheck experiment icl --budget standard`).
 */
import { describe, expect, it } from 'vitest';
import { ICL_CLAIM } from '../src/claims/icl.js';
import { unitsFor } from '../src/claims/units.js';
import { specifyClaim } from './support/claim-spec.js';

if (ICL_CLAIM.checks.some((c) => c.sizes.quick !== undefined)) specifyClaim(ICL_CLAIM, import.meta.url);

describe('icl at the quick budget', () => {
  it('has no quick unit, so the audit reports it not-run rather than holds; standard and paper run its check and sentinel', () => {
    expect(unitsFor([ICL_CLAIM], 'quick', 0)).toHaveLength(0);
    for (const b of ['standard', 'paper'] as const) expect(unitsFor([ICL_CLAIM], b, 0).filter((u) => u.kind !== 'figure')).toHaveLength(2);
  });
});
