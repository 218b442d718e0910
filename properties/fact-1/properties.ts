/**
 * Fact 1 (arXiv 2407.16153): one full-rank head QKᵀ = βI, V = I approximates the nearest-neighbour
 * target for every context length. The properties of its error, each with the sentinel variants it
 * must reject; the equivariance properties are in symmetries.ts, the D_N sampler's in sampler.ts.
 * Run by vitest (fact-1.property.ts) at the quick budget and by `rankcheck verify`.
 *
 * Statistical properties fail a correct implementation with probability ≤ 1e-6 per generated case.
 */
import fc from 'fast-check';
import { defineProperty, propertyCheck } from '../../src/audit/property-check.js';
import type { CheckDef } from '../../src/core/vocabulary.js';
import { integrate } from '../../src/core/quadrature.js';
import { Rng } from '../../src/core/rng.js';
import { logBeta } from '../../src/core/special.js';
import { sampleContexts } from '../../src/core/sphere.js';
import { meanInterval, momentsOf } from '../../src/core/stats.js';
import { MultiHeadAttention } from '../../src/model/attention.js';
import { fullRankHead } from '../../src/model/constructions.js';
import { batchErrors, sampleErrors } from '../../src/model/monte-carlo.js';
import {
  FACT1_CONSTANT_LIMIT,
  SIGMOID_SQ_INTEGRAL,
  fact1Asymptote,
  fact1ExactError,
  fact1LargeBetaConstant,
} from '../../src/theory/fact1.js';

import { distArb, fitN, logUniform, NEAREST, seedArb } from './arbitraries.js';
import { bracketsExact } from '../support/brackets-exact.js';
import { uniformReal } from '../support/real-arbitraries.js';
import { SAMPLER_CHECKS } from './sampler.js';
import { SYMMETRY_CHECKS } from './symmetries.js';

// ---------------------------------------------------------------------------------------------
// Sentinel implementations (deliberately wrong; used only through the variants below).

/** SENTINEL: the exact error with the weight exponent off by one, (1−t²)^{(d−2)/2}: dimension d+1. */
export const offByOneExactError = (d: number, beta: number) => fact1ExactError(d + 1, beta).error;

/** SENTINEL: the head QKᵀ = −βI (it picks the farthest point): its D_2 error 2E[σ(√2β|t|)²] grows with β. */
export function farthestHeadExactError(d: number, beta: number): number {
  const c = Math.SQRT2 * beta;
  const f = (th: number) => (1 / (1 + Math.exp(-c * Math.sin(th)))) ** 2 * Math.pow(Math.cos(th), d - 2);
  const num = integrate(f, 0, Math.PI / 2, { relTol: 1e-13 }).value;
  const z = integrate((th) => Math.pow(Math.cos(th), d - 2), 0, Math.PI / 2, { relTol: 1e-13 }).value;
  return (2 * num) / z;
}

/** SENTINEL: the head QKᵀ = −βI, V = I as a layer. */
function farthestHead(d: number, beta: number): MultiHeadAttention {
  const spec = fullRankHead(d, beta).spec;
  return new MultiHeadAttention({ ...spec, heads: spec.heads.map((h) => ({ ...h, Q: h.Q.map((x) => -x) })) });
}

/** SENTINEL: the construction with its last query coordinate dropped: QKᵀ = β·diag(1, …, 1, 0). */
function rankDeficientHead(d: number, beta: number): MultiHeadAttention {
  const Q = new Float64Array(d * d);
  const I = new Float64Array(d * d);
  for (let k = 0; k < d; k++) {
    I[k * d + k] = 1;
    if (k < d - 1) Q[k * d + k] = beta;
  }
  return new MultiHeadAttention({ d, r: d, normalisation: 'hardmax', heads: [{ Q, K: I, V: I }] });
}

// ---------------------------------------------------------------------------------------------
// 1. Monte Carlo agrees with the exact integral.

/** Errors on D_2 lie in [0, ½] (the head outputs a convex combination never worse than the midpoint). */
const D2_ERROR_RANGE = 0.5;

/**
 * Half-width factor (dimensionless, in (0, 1)) of the 'over-confident-interval' sentinel of
 * monte-carlo-brackets-exact. Being caught needs one of the quick budget's 13 cases to miss.
 * Relative to the normal half-width z·s/√n (z = 4.8916 at 1 − 1e−6), the Bernstein one is r times
 * wider: r = 1.30–1.75 over 200 points of the power region (3 ≤ d ≤ 8, 0.3 ≤ β ≤ 3), and up to
 * hundreds at coverage points where the errors barely vary, which are never caught. A power point
 * holds with probability P(|Z| < z·f·r), so the sentinel goes uncaught with probability
 * ≤ P(|Z| < 4.8916·0.07·1.75 = 0.599)^13 = 0.450^13 ≈ 3.1e−5 (×0.1 would give 1.5e−3).
 */
export const MC_OVERCONFIDENT_FACTOR = 0.07;

const monteCarloBracketsExact = bracketsExact({
  name: 'monte-carlo-brackets-exact',
  description:
    'The sampled D_2 error of the construction brackets the exact integral (empirical Bernstein interval), at a point of 3 ≤ d ≤ 64 (quick) or 128, 1e-3 ≤ β ≤ 1e4 (log-uniform) and a point of 3 ≤ d ≤ 8, 0.3 ≤ β ≤ 3, where the samples resolve the dimension.',
  runs: { quick: 13, standard: 20, paper: 200 },
  perCase: 'two points × 20 000 samples',
  level: 1 - 1e-6,
  // The range the interval relies on.
  interval: { method: 'bernstein', range: D2_ERROR_RANGE },
  overConfidentFactor: MC_OVERCONFIDENT_FACTOR,
  sentinels: {
    'off-by-one-weight': 'the off-by-one exact formula (weight (1 − t²)^{(d−2)/2}), against simulation',
  },
  // Each case is a pair: a point anywhere in the domain, for coverage, and a point where 20 000
  // samples resolve the dimension (d ≤ 8, 0.3 ≤ β ≤ 3), for power. Measured on a grid, an
  // off-by-one dimension moves the error by more than the interval's half-width with
  // probability ≈ 1 there, but below 0.1 for d ≥ 16 at any β and for β ≤ 0.03 or β ≥ 10 at
  // d ≥ 6: coverage points alone left the off-by-one sentinel uncaught at 2 of 20 root seeds.
  // Sampling cost grows like d²; the quick budget stops at d = 64.
  cases: (budget) => [
    fc.integer({ min: 3, max: budget === 'quick' ? 64 : 128 }),
    logUniform(1e-3, 1e4),
    fc.integer({ min: 3, max: 8 }),
    logUniform(0.3, 3),
    seedArb,
  ],
  *brackets(sentinel, d: number, beta: number, dPower: number, betaPower: number, seed: number) {
    const rng = Rng.fromSeed(seed);
    const points = [
      { d, beta, rng },
      { d: dPower, beta: betaPower, rng: rng.splitNamed('power') },
    ];
    for (const p of points) {
      yield {
        values: sampleErrors(fullRankHead(p.d, p.beta), { target: NEAREST, dist: 'ortho', n: 2 }, p.rng, 20_000),
        exact: sentinel === 'off-by-one-weight' ? offByOneExactError(p.d, p.beta) : fact1ExactError(p.d, p.beta).error,
      };
    }
  },
});

// ---------------------------------------------------------------------------------------------
// 2. The exact value is right: an independent quadrature in the original variable t.

/** 4∫_0^1 σ(−√2βt)²(1−t²)^{(d−3)/2} dt / B(½, (d−1)/2): no θ substitution, no shared code path. */
function exactInT(d: number, beta: number): number {
  const c = Math.SQRT2 * beta;
  const f = (t: number) => {
    const e = Math.exp(-c * t);
    const s = e / (1 + e);
    return s * s * Math.pow(1 - t * t, (d - 3) / 2);
  };
  const breaks = [-3, -2, -1, 0, 1, 2, 3, 4, 5, 6]
    .map((k) => 2 ** k / c)
    .concat([1, 2, 4, 8].map((j) => j / Math.sqrt(d)));
  const q = integrate(f, 0, 1, { relTol: 1e-12, maxPanels: 20000, breakpoints: breaks.filter((x) => x < 1) });
  return q.value * 4 * Math.exp(-logBeta(0.5, (d - 1) / 2));
}

const exactMatchesIndependentQuadrature = defineProperty({
  name: 'exact-matches-independent-quadrature',
  kind: 'exact',
  description:
    'The exact D_2 error agrees to 1e-9 relative with an independent t-space quadrature over 3 ≤ d ≤ 1024, 1e-3 ≤ β ≤ 1e6, and its own error estimate is below 1e-9 relative.',
  runs: { quick: 60, standard: 300, paper: 1000 },
  margin: { observation: 'log10Headroom', unit: 'decades between the relative difference and its 1e-9 tolerance' },
  sentinels: { 'off-by-one-weight': 'the off-by-one exact formula, against an independent quadrature' },
  property: (sentinel, _budget, observe) =>
    fc.property(fc.integer({ min: 3, max: 1024 }), logUniform(1e-3, 1e6), (d, beta) => {
      const a =
        sentinel === 'off-by-one-weight'
          ? { error: offByOneExactError(d, beta), errorEstimate: 0 }
          : fact1ExactError(d, beta);
      const rel = Math.abs(a.error / exactInT(d, beta) - 1);
      observe({ log10Headroom: Math.log10(1e-9 / Math.max(rel, 1e-300)) });
      return rel < 1e-9 && a.errorEstimate < 1e-9 * a.error;
    }),
});

// ---------------------------------------------------------------------------------------------
// 3. Monotone in β.

const exactDecreasingInBeta = defineProperty({
  name: 'exact-error-decreasing-in-beta',
  kind: 'exact',
  description:
    'The exact D_2 error strictly decreases in β (ratios ≥ 1.01), by more than both quadrature error estimates.',
  runs: { quick: 200, standard: 1000, paper: 5000 },
  sentinels: { 'farthest-head': 'the head QKᵀ = −βI, which picks the farthest point: its error grows with β' },
  property: (sentinel) =>
    fc.property(fc.integer({ min: 3, max: 1024 }), logUniform(1e-3, 1e6), uniformReal(1.01, 100), (d, beta, ratio) => {
      if (sentinel === 'farthest-head')
        return farthestHeadExactError(d, beta) > farthestHeadExactError(d, beta * ratio);
      const a = fact1ExactError(d, beta);
      const b = fact1ExactError(d, beta * ratio);
      return a.error - b.error > a.errorEstimate + b.errorEstimate;
    }),
});

const sampledDecreasingInBeta = defineProperty({
  name: 'sampled-error-decreasing-in-beta',
  kind: 'statistical',
  description:
    'For N ≥ 3 on D_N and unif, the error at 4β is below the error at β (common random numbers; the paired interval excludes 0).',
  runs: { quick: 20, standard: 80, paper: 300 },
  perCase: '4 000 paired samples',
  level: 1 - 1e-6,
  margin: {
    observation: 'lowerEndOverWidth',
    unit: 'lower end of the paired interval over its width (above 0: it excludes 0)',
  },
  sentinels: { 'farthest-head': 'the head QKᵀ = −βI, simulated for N ≥ 3' },
  property: (sentinel, _budget, observe) =>
    fc.property(
      fc.integer({ min: 3, max: 32 }),
      fc.integer({ min: 3, max: 16 }),
      distArb,
      logUniform(0.3, 30),
      seedArb,
      (d, nRaw, dist, beta, seed) => {
        const n = Math.max(3, fitN(nRaw, d, dist));
        const batch = sampleContexts(Rng.fromSeed(seed), dist, { d, n, size: 4000 });
        const head = sentinel === 'farthest-head' ? farthestHead : (dd: number, b: number) => fullRankHead(dd, b);
        const e1 = batchErrors(head(d, beta), NEAREST, batch);
        const e4 = batchErrors(head(d, 4 * beta), NEAREST, batch);
        const ci = meanInterval(momentsOf(e1.map((x, i) => x - e4[i])), 1 - 1e-6);
        observe({ lowerEndOverWidth: ci.lo / (ci.hi - ci.lo) });
        return ci.lo > 0;
      },
    ),
});

// ---------------------------------------------------------------------------------------------
// 4. The large-β constant.

/** a(a−1)·I₄/(8β⁴I₀), a = (d−3)/2: the size of the first term the two-term expansion leaves out. */
function thirdTerm(d: number, beta: number): number {
  const a = (d - 3) / 2;
  const I4 = 22.5 * 1.03692775514337 - (7 * Math.PI ** 4) / 30; // ∫u⁴σ(−u)² = (15/16)Γ(5)ζ(5) − 4·(7/8)Γ(4)ζ(4)
  return (Math.abs(a * (a - 1)) * I4) / (8 * beta ** 4 * SIGMOID_SQ_INTEGRAL);
}

const largeBetaAsymptote = defineProperty({
  name: 'large-beta-asymptote',
  kind: 'exact',
  description:
    'For β ≥ 10√d the error equals c(d)·√d/β·(1 − κ(d−3)/β²) within twice the next term, and β·error/√d moves ≥ 50× closer to c(d) when β grows 10×.',
  runs: { quick: 100, standard: 500, paper: 2000 },
  sentinels: { 'limit-constant': 'the d → ∞ constant 2(ln 2 − ½)/√π used for every d' },
  property: (sentinel) =>
    fc.property(fc.integer({ min: 3, max: 1024 }), uniformReal(0, 1), (d, u) => {
      const constant = sentinel === 'limit-constant' ? FACT1_CONSTANT_LIMIT : fact1LargeBetaConstant(d);
      const lo = Math.log10(10 * Math.sqrt(d));
      const beta = 10 ** (lo + u * (6 - lo));
      const exact = fact1ExactError(d, beta).error;
      const twoTerm = fact1Asymptote(d, beta) * (constant / fact1LargeBetaConstant(d));
      const close = Math.abs(exact / twoTerm - 1) <= 2 * thirdTerm(d, beta) + 2e-9;
      const gap = (b: number) => Math.abs((b * fact1ExactError(d, b).error) / Math.sqrt(d) - constant);
      const approaches = beta > 1e5 || gap(10 * beta) <= gap(beta) / 50 + 1e-9 * constant;
      return close && approaches;
    }),
});

// ---------------------------------------------------------------------------------------------
// 5. Hardmax with the construction is exact.

const hardmaxExact = defineProperty({
  name: 'hardmax-exact',
  kind: 'exact',
  description: 'Hardmax with QKᵀ = βI, V = I has error exactly 0 for 1 ≤ N ≤ 32 on D_N and unif.',
  runs: { quick: 60, standard: 300, paper: 1000 },
  perCase: '500 samples',
  sentinels: { 'rank-deficient': 'a rank-(d−1) head posing as full rank, QKᵀ = β·diag(1, …, 1, 0)' },
  property: (sentinel) =>
    fc.property(
      fc.integer({ min: 3, max: 48 }),
      fc.integer({ min: 1, max: 32 }),
      distArb,
      logUniform(1e-3, 1e6),
      seedArb,
      (d, nRaw, dist, beta, seed) => {
        const n = fitN(nRaw, d, dist);
        const head = sentinel === 'rank-deficient' ? rankDeficientHead(d, beta) : fullRankHead(d, beta, 'hardmax');
        return sampleErrors(head, { target: NEAREST, dist, n }, Rng.fromSeed(seed), 500).every((e) => e === 0);
      },
    ),
});

/** Fact 1's property checks, in report order. */
export const FACT1_PROPERTY_CHECKS: CheckDef[] = [
  propertyCheck(monteCarloBracketsExact),
  propertyCheck(exactMatchesIndependentQuadrature),
  propertyCheck(exactDecreasingInBeta),
  propertyCheck(sampledDecreasingInBeta),
  propertyCheck(largeBetaAsymptote),
  propertyCheck(hardmaxExact),
  ...SYMMETRY_CHECKS,
  ...SAMPLER_CHECKS,
];
