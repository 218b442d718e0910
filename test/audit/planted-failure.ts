/**
 * A claim with a planted failure for the replay round trip: a property that fails for every
 * generated x ≥ 950 (one case in twenty), so fast-check needs several cases to find a failure,
 * then shrinks it to exactly [950, 0]; a replay runs that one case.
 */
import fc from 'fast-check';
import { defineProperty, propertyCheck } from '../../src/audit/property-check.js';
import type { Registry } from '../../src/audit/registry.js';
import type { Claim } from '../../src/core/vocabulary.js';

const planted = defineProperty({
  name: 'below-950',
  kind: 'exact',
  description: 'every generated x in [0, 1000] is below 950 (false on purpose)',
  runs: { quick: 400, standard: 400, paper: 400 },
  sentinels: {},
  property: () =>
    fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 }), (x, y) => x < 950 || y < 0),
});

export const PLANTED: Claim = {
  id: 'planted',
  title: 'A claim with a planted failure',
  paperRef: 'test',
  statement: 'x < 950',
  reconstructed: false,
  sources: { proofNote: 'proofs-notes/fact-1.md', code: [], checks: 'test/audit/planted-failure.ts' },
  checks: [propertyCheck(planted)],
  figures: [],
};

export const PLANTED_REGISTRY: Registry = { claims: [PLANTED], experiments: [] };
