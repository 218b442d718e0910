/**
 * The icl experiment claim. It runs no check at the quick or standard budget (at those sizes the
 * ranks do not separate, so the check would be blind to its sentinel: proofs-notes/icl.md),
 * so here it is specified to stay "not-run" there, with its reason; its check and sentinel run at
 * paper (`rankcheck experiment icl --budget standard` still trains and reports the standard grid).
 */
import { describe, expect, it } from 'vitest';
import { ICL_CLAIM } from './claim.js';
import { unitsFor } from '../../src/audit/units.js';
import { specifyClaim } from '../support/claim-spec.js';

if (ICL_CLAIM.checks.some((c) => c.sizes.quick !== undefined)) specifyClaim(ICL_CLAIM, import.meta.url);

describe('icl below the paper budget', () => {
  it('has no quick or standard unit, so the audit reports it not-run with its reason rather than holds; paper runs its check and sentinel', () => {
    for (const b of ['quick', 'standard'] as const) {
      expect(unitsFor([ICL_CLAIM], b, 0)).toHaveLength(0);
      expect(ICL_CLAIM.notRunAt?.[b]).toMatch(/^not at /);
    }
    expect(unitsFor([ICL_CLAIM], 'paper', 0).filter((u) => u.kind !== 'figure')).toHaveLength(2);
  });
});
