/**
 * The positional experiment claim. It runs no check at the quick budget (at the sizes that train
 * in seconds the order of concatenated and additive encodings depends on the seed:
 * proofs-notes/positional.md), so here it is specified to stay "not-run" at quick; its check and
 * sentinel run at standard and paper (`rankcheck experiment positional --budget standard`).
 */
import { describe, expect, it } from 'vitest';
import { POSITIONAL_CLAIM } from './claim.js';
import { unitsFor } from '../../src/audit/units.js';
import { specifyClaim } from '../support/claim-spec.js';

if (POSITIONAL_CLAIM.checks.some((c) => c.sizes.quick !== undefined)) specifyClaim(POSITIONAL_CLAIM, import.meta.url);

describe('positional at the quick budget', () => {
  it('has no quick unit, so the audit reports it not-run rather than holds; standard and paper run its check and sentinel', () => {
    expect(unitsFor([POSITIONAL_CLAIM], 'quick', 0)).toHaveLength(0);
    for (const b of ['standard', 'paper'] as const)
      expect(unitsFor([POSITIONAL_CLAIM], b, 0).filter((u) => u.kind !== 'figure')).toHaveLength(2);
  });
});
