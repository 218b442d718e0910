/**
 * Fact 1 (arXiv 2407.16153): one full-rank head QKᵀ = βI, V = I approximates the nearest-neighbour
 * target for every context length. Each property has a sentinel — a deliberately wrong variant
 * that the same property must reject — so that none of them passes by being blind.
 *
 * Statistical properties fail a correct implementation with probability ≤ 1e-6 per generated case
 * (stated per property); replay any failure with the printed RANKCHECK_SEED / RANKCHECK_PATH.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { integrate } from '../src/core/quadrature.js';
import { Rng } from '../src/core/rng.js';
import { qrFrameWithoutSignFix } from '../src/core/sentinel-samplers.js';
import { incompleteBeta, logBeta } from '../src/core/special.js';
import {
  sampleContexts,
  sampleOrthoFrame,
  sampleOrthogonalMatrix,
  sampleSphere,
  sphereCoordinateCdf,
  type ContextDistribution,
  type FrameSampler,
} from '../src/core/sphere.js';
import { binomialTest, ksTest, meanInterval, momentsOf } from '../src/core/stats.js';
import { MultiHeadAttention, type AttentionSpec } from '../src/model/attention.js';
import { fullRankHead, randomAttention } from '../src/model/constructions.js';
import { batchErrors, sampleErrors } from '../src/model/monte-carlo.js';
import {
  FACT1_CONSTANT_LIMIT,
  SIGMOID_SQ_INTEGRAL,
  fact1Asymptote,
  fact1ExactError,
  fact1LargeBetaConstant,
} from '../src/theory/fact1.js';
import { assertProperty, assertRejected } from './support/check-property.js';

const file = import.meta.url;
const NEAREST = { kind: 'nearest' } as const;

// Generators. β is log-uniform: the interesting behaviour spans nine decades.
const logUniform = (lo: number, hi: number) =>
  fc.double({ min: Math.log10(lo), max: Math.log10(hi), noNaN: true }).map((e) => Number((10 ** e).toPrecision(12)));
const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const distArb = fc.constantFrom<ContextDistribution>('ortho', 'unif');
/** N in [1, maxN], folded into [1, d] for D_N, which needs N ≤ d. */
const fitN = (n: number, d: number, dist: ContextDistribution) => (dist === 'ortho' ? 1 + ((n - 1) % d) : n);

// ---------------------------------------------------------------------------------------------
// 1. Monte Carlo agrees with the exact integral.

/** Errors on D_2 lie in [0, ½] (the head outputs a convex combination that is never worse than the midpoint). */
const D2_ERROR_RANGE = 0.5;
const MC_SAMPLES = 20_000;

function monteCarloBracketsExact(exact: (d: number, beta: number) => number) {
  return fc.property(fc.integer({ min: 3, max: 128 }), logUniform(1e-3, 1e4), seedArb, (d, beta, seed) => {
    const errors = sampleErrors(fullRankHead(d, beta), { target: NEAREST, dist: 'ortho', n: 2 }, Rng.fromSeed(seed), MC_SAMPLES);
    const m = momentsOf(errors);
    if (Math.min(...errors) < 0 || m.max > D2_ERROR_RANGE) return false; // the range the interval relies on
    // Empirical Bernstein at level 1 − 1e-6: coverage guaranteed for bounded errors at any n.
    const ci = meanInterval(m, 1 - 1e-6, 'bernstein', { range: D2_ERROR_RANGE });
    const e = exact(d, beta);
    return ci.lo <= e && e <= ci.hi;
  });
}

describe('Fact 1: Monte Carlo against the closed form', () => {
  it('the sampled D_2 error brackets the exact integral (Bernstein interval, level 1 − 1e-6)', () => {
    assertProperty('fact-1/monte-carlo-brackets-exact', monteCarloBracketsExact((d, b) => fact1ExactError(d, b).error), { numRuns: 25, file });
  });

  it('sentinel: an exact formula with the weight exponent off by one, (1−t²)^{(d−2)/2}, is rejected', () => {
    // Using dimension d+1 in the formula is exactly that off-by-one.
    const ce = assertRejected('fact-1/monte-carlo-brackets-exact:sentinel-off-by-one', monteCarloBracketsExact((d, b) => fact1ExactError(d + 1, b).error), { numRuns: 25, file });
    expect(ce[0]).toBeGreaterThanOrEqual(3);
  });
});

// ---------------------------------------------------------------------------------------------
// 2. The exact value is right: an independent quadrature in the original variable t.

/** 4∫_0^1 σ(−√2βt)²(1−t²)^{(d−3)/2} dt / B(½, (d−1)/2): no θ substitution, no shared code path. */
function exactInT(d: number, beta: number): { value: number; errorEstimate: number } {
  const c = Math.SQRT2 * beta;
  const f = (t: number) => {
    const e = Math.exp(-c * t);
    const s = e / (1 + e);
    return s * s * Math.pow(1 - t * t, (d - 3) / 2);
  };
  const breaks = [-3, -2, -1, 0, 1, 2, 3, 4, 5, 6].map((k) => 2 ** k / c).concat([1, 2, 4, 8].map((j) => j / Math.sqrt(d)));
  const q = integrate(f, 0, 1, { relTol: 1e-12, maxPanels: 20000, breakpoints: breaks.filter((x) => x < 1) });
  const scale = 4 * Math.exp(-logBeta(0.5, (d - 1) / 2));
  return { value: q.value * scale, errorEstimate: q.errorEstimate * scale };
}

describe("Fact 1: the exact error's accuracy", () => {
  it('agrees to 1e-9 relative with an independent t-space quadrature over 3 ≤ d ≤ 1024, 1e-3 ≤ β ≤ 1e6', () => {
    assertProperty(
      'fact-1/exact-matches-independent-quadrature',
      fc.property(fc.integer({ min: 3, max: 1024 }), logUniform(1e-3, 1e6), (d, beta) => {
        const a = fact1ExactError(d, beta);
        const b = exactInT(d, beta);
        // Both estimates must be honest too: 1e-9 relative is the accuracy requirement.
        return Math.abs(a.error / b.value - 1) < 1e-9 && a.errorEstimate < 1e-9 * a.error;
      }),
      { numRuns: 60, file },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// 3. Monotone in β.

describe('Fact 1: more β, less error', () => {
  it('the exact D_2 error strictly decreases in β, by more than its quadrature error', () => {
    assertProperty(
      'fact-1/exact-error-strictly-decreasing-in-beta',
      fc.property(fc.integer({ min: 3, max: 1024 }), logUniform(1e-3, 1e6), fc.double({ min: 1.01, max: 100, noNaN: true }), (d, beta, ratio) => {
        const a = fact1ExactError(d, beta);
        const b = fact1ExactError(d, beta * ratio);
        return a.error - b.error > a.errorEstimate + b.errorEstimate;
      }),
      { numRuns: 200, file },
    );
  });

  it('for N > 2 (sampled, common random numbers) the error at 4β is below the error at β', () => {
    assertProperty(
      'fact-1/sampled-error-decreasing-in-beta',
      fc.property(fc.integer({ min: 3, max: 32 }), fc.integer({ min: 3, max: 16 }), distArb, logUniform(0.3, 30), seedArb, (d, nRaw, dist, beta, seed) => {
        const n = Math.max(3, fitN(nRaw, d, dist));
        const batch = sampleContexts(Rng.fromSeed(seed), dist, d, n, 4000);
        const e1 = batchErrors(fullRankHead(d, beta), NEAREST, batch.X, batch.Y, 4000, n);
        const e4 = batchErrors(fullRankHead(d, 4 * beta), NEAREST, batch.X, batch.Y, 4000, n);
        // Paired differences, normal interval at level 1 − 1e-6: its lower end must clear 0.
        const ci = meanInterval(momentsOf(e1.map((x, i) => x - e4[i])), 1 - 1e-6);
        return ci.lo > 0;
      }),
      { numRuns: 20, file },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// 4. The large-β constant.

/** a(a−1)·I₄/(8β⁴I₀), a = (d−3)/2: the size of the first term the two-term expansion leaves out. */
function thirdTerm(d: number, beta: number): number {
  const a = (d - 3) / 2;
  const I4 = 22.5 * 1.0369277551433699 - (7 * Math.PI ** 4) / 30; // ∫u⁴σ(−u)² = (15/16)Γ(5)ζ(5) − 4·(7/8)Γ(4)ζ(4)
  return Math.abs(a * (a - 1)) * I4 / (8 * beta ** 4 * SIGMOID_SQ_INTEGRAL);
}

function asymptoteProperty(constant: (d: number) => number) {
  return fc.property(fc.integer({ min: 3, max: 1024 }), fc.double({ min: 0, max: 1, noNaN: true }), (d, u) => {
    // β from 10√d (where the expansion in (d−3)t² is valid on the mass of σ²) up to 1e6.
    const lo = Math.log10(10 * Math.sqrt(d));
    const beta = 10 ** (lo + u * (6 - lo));
    const exact = fact1ExactError(d, beta).error;
    const twoTerm = fact1Asymptote(d, beta) * (constant(d) / fact1LargeBetaConstant(d));
    const close = Math.abs(exact / twoTerm - 1) <= 2 * thirdTerm(d, beta) + 2e-9;
    // And β·error/√d approaches the constant: ten times the β, at least 50 times closer.
    const gap = (b: number) => Math.abs((b * fact1ExactError(d, b).error) / Math.sqrt(d) - constant(d));
    const approaches = beta > 1e5 || gap(10 * beta) <= gap(beta) / 50 + 1e-9 * constant(d);
    return close && approaches;
  });
}

describe('Fact 1: the large-β constant', () => {
  it('error = c(d)·√d/β·(1 − κ(d−3)/β²) up to the next term of the expansion, and β·error/√d → c(d)', () => {
    assertProperty('fact-1/large-beta-asymptote', asymptoteProperty(fact1LargeBetaConstant), { numRuns: 100, file });
  });

  it("sentinel: the d → ∞ constant 2(ln 2 − ½)/√π used for every d is rejected", () => {
    assertRejected('fact-1/large-beta-asymptote:sentinel-limit-constant', asymptoteProperty(() => FACT1_CONSTANT_LIMIT), { numRuns: 100, file });
  });
});

// ---------------------------------------------------------------------------------------------
// 5. Hardmax with the construction is exact.

/** The construction with its last query coordinate dropped: QKᵀ = β·diag(1, …, 1, 0). */
function rankDeficientHead(d: number, beta: number): MultiHeadAttention {
  const Q = new Float64Array(d * d);
  const I = new Float64Array(d * d);
  for (let k = 0; k < d; k++) {
    I[k * d + k] = 1;
    if (k < d - 1) Q[k * d + k] = beta;
  }
  return new MultiHeadAttention({ d, r: d, normalisation: 'hardmax', heads: [{ Q, K: I, V: I }] });
}

function hardmaxExact(head: (d: number, beta: number) => MultiHeadAttention) {
  return fc.property(fc.integer({ min: 3, max: 48 }), fc.integer({ min: 1, max: 32 }), distArb, logUniform(1e-3, 1e6), seedArb, (d, nRaw, dist, beta, seed) => {
    const n = fitN(nRaw, d, dist);
    const errors = sampleErrors(head(d, beta), { target: NEAREST, dist, n }, Rng.fromSeed(seed), 500);
    return errors.every((e) => e === 0);
  });
}

describe('Fact 1: hardmax is exact', () => {
  it('hardmax with QKᵀ = βI, V = I has error exactly 0 for every N and both distributions', () => {
    assertProperty('fact-1/hardmax-exact', hardmaxExact((d, b) => fullRankHead(d, b, 'hardmax')), { numRuns: 60, file });
  });

  it('sentinel: a rank-(d−1) head posing as full rank is rejected', () => {
    assertRejected('fact-1/hardmax-exact:sentinel-rank-deficient', hardmaxExact(rankDeficientHead), { numRuns: 60, file });
  });
});

// ---------------------------------------------------------------------------------------------
// 6. Equivariance.

// Outputs are sums of N ≤ 32 weighted unit vectors; reordering or rotating changes rounding by
// ≈ N·d·ε ≈ 1e-13, and the error's sensitivity to score rounding is ≈ β·d·ε: with β ≤ 100 and
// d ≤ 32 a 1e-12 tolerance is met by a correct layer and missed by any real change.
const EQUIV_TOL = 1e-12;

type LayerMaker = (rng: Rng, d: number, beta: number) => MultiHeadAttention;
const fullRank: LayerMaker = (_rng, d, beta) => fullRankHead(d, beta);

function permutationInvariant(make: LayerMaker) {
  return fc.property(fc.integer({ min: 3, max: 32 }), fc.integer({ min: 2, max: 16 }), distArb, logUniform(1e-3, 100), seedArb, (d, nRaw, dist, beta, seed) => {
    const n = Math.max(2, fitN(nRaw, d, dist));
    const rng = Rng.fromSeed(seed);
    const layer = make(rng.splitNamed('layer'), d, beta);
    const size = 64;
    const batch = sampleContexts(rng, dist, d, n, size);
    const perm = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = rng.nextInt(i + 1);
      [perm[i], perm[j]] = [perm[j], perm[i]];
    }
    const Xp = new Float64Array(batch.X.length);
    for (let b = 0; b < size; b++) for (let i = 0; i < n; i++) Xp.set(batch.X.subarray((b * n + perm[i]) * d, (b * n + perm[i] + 1) * d), (b * n + i) * d);
    const out = layer.evaluate(batch.X, batch.Y, size, n, 1);
    const outP = layer.evaluate(Xp, batch.Y, size, n, 1);
    const e = batchErrors(layer, NEAREST, batch.X, batch.Y, size, n);
    const eP = batchErrors(layer, NEAREST, Xp, batch.Y, size, n);
    return out.every((v, i) => Math.abs(v - outP[i]) <= EQUIV_TOL) && e.every((v, i) => Math.abs(v - eP[i]) <= EQUIV_TOL);
  });
}

function rotationInvariant(make: LayerMaker) {
  return fc.property(fc.integer({ min: 3, max: 32 }), fc.integer({ min: 2, max: 16 }), distArb, logUniform(1e-3, 100), seedArb, (d, nRaw, dist, beta, seed) => {
    const n = Math.max(2, fitN(nRaw, d, dist));
    const rng = Rng.fromSeed(seed);
    const layer = make(rng.splitNamed('layer'), d, beta);
    const size = 64;
    const batch = sampleContexts(rng, dist, d, n, size);
    const R = sampleOrthogonalMatrix(rng, d);
    const rotate = (src: Float64Array) => {
      const out = new Float64Array(src.length);
      for (let v = 0; v < src.length / d; v++) {
        for (let k = 0; k < d; k++) {
          let s = 0;
          for (let j = 0; j < d; j++) s += R[k * d + j] * src[v * d + j];
          out[v * d + k] = s;
        }
      }
      return out;
    };
    const e = batchErrors(layer, NEAREST, batch.X, batch.Y, size, n);
    const eR = batchErrors(layer, NEAREST, rotate(batch.X), rotate(batch.Y), size, n);
    return e.every((v, i) => Math.abs(v - eR[i]) <= EQUIV_TOL);
  });
}

describe('Fact 1: equivariance', () => {
  it('permuting the context changes neither the output nor the error (full-rank head)', () => {
    assertProperty('fact-1/permutation-invariance', permutationInvariant(fullRank), { numRuns: 40, file });
  });

  it('permutation invariance holds for every attention layer, e.g. random rank-2, 3-head ones', () => {
    assertProperty('fact-1/permutation-invariance-random-layers', permutationInvariant((rng, d) => randomAttention(rng, d, 2, 3, 'softmax', 3)), { numRuns: 40, file });
  });

  it('sentinel: a head whose score depends on the position i is rejected', () => {
    const positional: LayerMaker = (_rng, d, beta) => {
      const base = fullRankHead(d, beta).spec;
      const spec: AttentionSpec = {
        ...base,
        heads: base.heads.map((h) => ({ ...h, score: (p: Float64Array, X: Float64Array, o: number, i: number) => {
          let s = 0;
          for (let k = 0; k < d; k++) s += p[k] * X[o + k];
          return s + 0.5 * i;
        } })),
      };
      return new MultiHeadAttention(spec);
    };
    assertRejected('fact-1/permutation-invariance:sentinel-positional-score', permutationInvariant(positional), { numRuns: 40, file });
  });

  it('rotating every input by one random rotation leaves each sample’s error unchanged (to 1e-12)', () => {
    assertProperty('fact-1/rotation-invariance', rotationInvariant(fullRank), { numRuns: 40, file });
  });

  it('sentinel: a random rank-1 layer, which is not rotation equivariant, is rejected', () => {
    assertRejected('fact-1/rotation-invariance:sentinel-rank-1', rotationInvariant((rng, d) => randomAttention(rng, d, 1, 1, 'softmax', 5)), { numRuns: 40, file });
  });
});

// ---------------------------------------------------------------------------------------------
// 7. The D_N sampler is Haar.

const FRAMES = 2000;

/**
 * For every coordinate axis and one random direction u: each column's coordinate ⟨u, x_j⟩ has the
 * sphere's marginal law (KS) and a symmetric sign (exact binomial test), and the energy
 * Σ_j ⟨u, x_j⟩² of u in the frame's span is Beta(n/2, (d−n)/2) (KS). The whole family of tests
 * in one case is held to 1e-6 by Bonferroni.
 */
function frameIsHaar(sampler: FrameSampler) {
  return fc.property(fc.integer({ min: 2, max: 12 }), fc.integer({ min: 1, max: 12 }), seedArb, (d, nRaw, seed) => {
    const n = 1 + ((nRaw - 1) % d);
    const rng = Rng.fromSeed(seed);
    const frames = new Float64Array(FRAMES * n * d);
    for (let f = 0; f < FRAMES; f++) sampler(rng, d, n, frames, f * n * d);
    const directions: Float64Array[] = [];
    for (let k = 0; k < d; k++) {
      const e = new Float64Array(d);
      e[k] = 1;
      directions.push(e);
    }
    const u = new Float64Array(d);
    sampleSphere(rng, d, u);
    directions.push(u);
    const tests = directions.length * (2 * n + (n < d ? 1 : 0));
    const alpha = 1e-6 / tests;
    for (const dir of directions) {
      const energy = new Float64Array(FRAMES);
      for (let j = 0; j < n; j++) {
        const coord = new Float64Array(FRAMES);
        let positive = 0;
        for (let f = 0; f < FRAMES; f++) {
          let s = 0;
          for (let k = 0; k < d; k++) s += dir[k] * frames[(f * n + j) * d + k];
          coord[f] = s;
          energy[f] += s * s;
          if (s > 0) positive++;
        }
        if (ksTest(coord, (t) => sphereCoordinateCdf(d, t)).pValue < alpha) return false;
        if (binomialTest(positive, FRAMES, 0.5).pValue < alpha) return false;
      }
      if (n < d && ksTest(energy, (s) => incompleteBeta(Math.min(1, Math.max(0, s)), n / 2, (d - n) / 2)).pValue < alpha) return false;
    }
    return true;
  });
}

describe('Fact 1: the D_N sampler', () => {
  it('draws Haar-distributed orthonormal frames (every projection has the rotation-invariant law)', () => {
    assertProperty('fact-1/ortho-sampler-is-haar', frameIsHaar(sampleOrthoFrame), { numRuns: 30, file });
  });

  it('sentinel: QR without the sign fix (how the paper’s code draws D_N) is rejected', () => {
    assertRejected('fact-1/ortho-sampler-is-haar:sentinel-qr-without-sign-fix', frameIsHaar(qrFrameWithoutSignFix), { numRuns: 30, file });
  });
});
