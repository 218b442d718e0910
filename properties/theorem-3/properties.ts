/**
 * Theorem 3's full-rank construction run as a real attention layer (biases inside the softmax,
 * Gaussian queries): its simulated error matches the closed form. Run by vitest
 * (theorem-3.property.ts) at the quick budget and by `rankcheck verify`.
 */
import fc from 'fast-check';
import { defineProperty, propertyCheck } from '../../src/audit/property-check.js';
import type { CheckDef } from '../../src/core/vocabulary.js';
import { Rng } from '../../src/core/rng.js';
import { sampleSphere } from '../../src/core/sphere.js';
import { meanInterval, momentsOf } from '../../src/core/stats.js';
import {
  parityConstructionError,
  parityConstructionLayer,
  parityErrors,
} from '../../src/theory/parity-construction.js';

const SAMPLES = 10_000;

const constructionMatchesSimulation = defineProperty({
  name: 'construction-matches-simulation',
  kind: 'statistical',
  description:
    'The 2d² + 1 full-rank heads with biases inside the softmax, run through the float64 attention evaluator on Gaussian queries and D_2 contexts, have a simulated error whose interval contains the closed form 2·E_t[(g(t) − sq(t))²], 3 ≤ d ≤ 6.',
  runs: { quick: 4, standard: 20, paper: 80 },
  perCase: `${SAMPLES} samples`,
  level: 1 - 1e-4,
  margin: {
    observation: 'margin',
    unit: 'share of the interval’s half-width between the exact value and its nearer end (1: centred, below 0: outside)',
  },
  sentinels: { 'rank-deficient-heads': 'heads with QKᵀ = β(I − uuᵀ), rank d − 1, posing as full rank' },
  property: (sentinel, _budget, observe) =>
    fc.property(fc.integer({ min: 3, max: 6 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (d, seed) => {
      const rng = Rng.fromSeed(seed);
      // SENTINEL 'rank-deficient-heads': QKᵀ = β(I − uuᵀ), rank d − 1, posing as full rank.
      let removed: Float64Array | undefined;
      if (sentinel === 'rank-deficient-heads') {
        removed = new Float64Array(d);
        sampleSphere(rng.splitNamed('direction'), d, removed);
      }
      const errors = parityErrors(parityConstructionLayer(d, undefined, removed), rng.splitNamed('data'), SAMPLES);
      // Errors lie in [0, 2·(1 + small)]; at 10⁴ samples the CLT interval is sound.
      const ci = meanInterval(momentsOf(errors), 1 - 1e-4);
      const exact = parityConstructionError(d).value;
      observe({ margin: Math.min(exact - ci.lo, ci.hi - exact) / ((ci.hi - ci.lo) / 2) });
      return ci.lo <= exact && exact <= ci.hi;
    }),
});

export const THEOREM3_PROPERTY_CHECKS: CheckDef[] = [propertyCheck(constructionMatchesSimulation)];
