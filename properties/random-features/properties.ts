/**
 * Random rank-1 hardmax heads (the paper's appendix figure): the exact error 1 − bᵀC⁻¹b of the
 * optimally weighted heads is what the heads really do. Run by vitest (random-features.property.ts)
 * at the quick budget and by `rankcheck verify`.
 */
import fc from 'fast-check';
import { propertyCheck } from '../../src/audit/property-check.js';
import type { CheckDef } from '../../src/core/vocabulary.js';
import { Rng } from '../../src/core/rng.js';
import { sampleOrthoFrame } from '../../src/core/sphere.js';
import { sampleErrors } from '../../src/model/monte-carlo.js';
import { randomRank1Heads, type HeadDistribution } from '../../src/theory/head-distributions.js';
import { constructionError, rank1HardmaxLayer } from '../../src/theory/rank1-construction.js';
import { bracketsExact } from '../support/brackets-exact.js';
import { qrFrameWithoutSignFix } from '../support/sentinel-samplers.js';

const SIM_SAMPLES = 400_000;

/**
 * Half-width factor (dimensionless, in (0, 1)) of the 'over-confident-interval' sentinel. A
 * normal interval at 1 − 1e−6 (z = 4.8916) shrunk by f still holds a case with probability
 * P(|Z| < z·f); all 12 quick cases hold with P(|Z| < 0.587)^12 = 0.443^12 ≈ 5.7e−5 ≤ 1e−4
 * (f = 0.126 would be the limit).
 */
export const RF_OVERCONFIDENT_FACTOR = 0.12;

const constructionMatchesSimulation = bracketsExact({
  name: 'construction-matches-simulation',
  description:
    'The exact error 1 − bᵀC⁻¹b of optimally weighted random rank-1 hardmax heads equals the simulated error of those heads run through the attention evaluator on D_2 (normal interval), 3 ≤ d ≤ 8, 1 ≤ H ≤ 6, four head distributions (the paper’s, bisector, aligned, independent).',
  runs: { quick: 12, standard: 20, paper: 150 },
  perCase: '400 000 samples',
  level: 1 - 1e-6,
  // Errors are bounded by (1 + Σ|a_h|)², so the CLT interval is sound at n = 4e5.
  interval: { method: 'normal' },
  overConfidentFactor: RF_OVERCONFIDENT_FACTOR,
  sentinels: { 'qr-without-sign-fix': 'D_2 drawn as the Q of a Householder QR without the sign fix' },
  cases: () => [
    fc.integer({ min: 3, max: 8 }),
    fc.integer({ min: 1, max: 6 }),
    fc.constantFrom<HeadDistribution>('paper', 'bisector', 'aligned', 'independent'),
    fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  ],
  brackets(sentinel, d: number, H: number, distribution: HeadDistribution, seed: number) {
    const rng = Rng.fromSeed(seed);
    const heads = randomRank1Heads(rng.splitNamed('heads'), d, H, distribution);
    const exact = constructionError(heads, { method: 'cholesky' });
    const layer = rank1HardmaxLayer(heads, exact.weights);
    const sampler = sentinel === 'qr-without-sign-fix' ? qrFrameWithoutSignFix : sampleOrthoFrame;
    const errors = sampleErrors(
      layer,
      { target: { kind: 'nearest' }, dist: 'ortho', n: 2 },
      rng.splitNamed('data'),
      SIM_SAMPLES,
      sampler,
    );
    return [{ values: errors, exact: exact.error }];
  },
});

export const RANDOM_FEATURES_PROPERTY_CHECKS: CheckDef[] = [propertyCheck(constructionMatchesSimulation)];
