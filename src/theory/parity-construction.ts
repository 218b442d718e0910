/**
 * Theorem 3's full-rank construction, exactly (the target is reconstructed; see
 * proofs-notes/theorem-3.md). Queries y ~ N(0, I_d), contexts from D_2, so t = ⟨x_1 − x_2, y⟩ is
 * N(0, 2) whatever d is. The target switches between x_2 and x_1 at m = 2d² + 1 evenly spaced
 * thresholds τ_j covering ±3 standard deviations of t. Head j is full rank, with scores
 * β(⟨x_i, y⟩ + b_{j,i}), b_j = (−τ_j, 0), and value (−1)^{j+1}·I; its softmax puts σ(β(t − τ_j))
 * on x_1, so the layer outputs x_2 + (x_1 − x_2)·g(t), g = Σ_j (−1)^{j+1} σ(β(t − τ_j)), and its
 * error is 2·E_t[(g(t) − sq(t))²] with sq(t) the target's 0/1 switch: a 1-D Gaussian integral.
 */
import { runChunksOnCores } from '../core/parallel.js';
import { integrate } from '../core/quadrature.js';
import type { Rng } from '../core/rng.js';
import { sampleGaussianQueryPairs, type FrameSampler } from '../core/sphere.js';
import { dot } from '../core/vector.js';
import { MultiHeadAttention, type HeadWeights } from '../model/attention.js';
import { squaredErrors } from '../model/monte-carlo.js';
import { thresholdParityIndex } from '../model/targets.js';

/** Half-width of the threshold range, in units of t: 3 standard deviations of N(0, 2). */
export const THRESHOLD_RANGE = 3 * Math.SQRT2;

/** d ≥ 2, count ≥ 2; `count` evenly spaced thresholds on [−THRESHOLD_RANGE, THRESHOLD_RANGE] (default 2d² + 1). */
export function parityThresholds(d: number, count = 2 * d * d + 1): Float64Array {
  const tau = new Float64Array(count);
  for (let j = 0; j < count; j++) tau[j] = -THRESHOLD_RANGE + (2 * THRESHOLD_RANGE * j) / (count - 1);
  return tau;
}

/** The spacing δ of the target's thresholds at dimension d. */
export const thresholdSpacing = (d: number) => (2 * THRESHOLD_RANGE) / (2 * d * d);

/** Sharpness of the construction's heads: β·δ = 40 (error ≈ 0.77/(βδ) ≈ 0.02, below 1/40). */
export const SHARPNESS = 40;

/** d ≥ 2; the heads' score scale β = SHARPNESS/δ (per unit of t). */
export const constructionBeta = (d: number) => SHARPNESS / thresholdSpacing(d);

const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

export interface ParityConstructionError {
  value: number;
  errorEstimate: number;
  heads: number;
  beta: number;
  /** d·H·max_h ‖V_h‖², the quantity Theorem 3's condition bounds (‖V_h‖ = 1 here). */
  valueNorm: number;
}

/**
 * How the quadrature cuts its first panels: 'graded' (the default, see gradedBreakpoints) or the
 * sentinel 'thresholds-only', panels cut at the thresholds alone, whose error estimate misses the
 * outer boundary layers from d = 8 on.
 */
export type ParityPanels = 'graded' | 'thresholds-only';

/**
 * d ≥ 2; exact D_2/Gaussian-query error of the construction whose heads use `headThresholds`
 * (default: the target's own) against the target with 2d² + 1 thresholds, at β = SHARPNESS/δ.
 */
export function parityConstructionError(
  d: number,
  headThresholds: Float64Array = parityThresholds(d),
  panels: ParityPanels = 'graded',
): ParityConstructionError {
  const target = parityThresholds(d);
  const beta = constructionBeta(d);
  const g = (t: number) => {
    let s = 0;
    for (let j = 0; j < headThresholds.length; j++)
      s += (j % 2 === 0 ? 1 : -1) * sigmoid(beta * (t - headThresholds[j]));
    return s;
  };
  const sq = (t: number) => {
    let below = 0;
    while (below < target.length && target[below] < t) below++;
    return below % 2;
  };
  const density = (t: number) => Math.exp(-(t * t) / 4) / Math.sqrt(4 * Math.PI);
  // Beyond ±(range + 8√2) the Gaussian mass is below 1e-15.
  const L = THRESHOLD_RANGE + 8 * Math.SQRT2;
  const thresholds = [...new Set([...target, ...headThresholds])].sort((a, b) => a - b);
  const q = integrate((t) => (g(t) - sq(t)) ** 2 * density(t), -L, L, {
    relTol: 1e-9,
    absTol: 1e-14,
    breakpoints: panels === 'graded' ? gradedBreakpoints(thresholds, beta, -L, L) : thresholds,
    maxPanels: 200_000,
  });
  return {
    value: 2 * q.value,
    errorEstimate: 2 * q.errorEstimate,
    heads: headThresholds.length,
    beta,
    valueNorm: d * headThresholds.length,
  };
}

/**
 * Sorted thresholds in (lo, hi) plus, beside each, the points at distances 2^k/β (k ≥ 0) up to
 * half the gap to its neighbour (or to lo, hi). Every sigmoid's boundary layer, of width 1/β, then
 * fills the panel it starts in. With panels cut only at the thresholds, a 20-point rule on the
 * two outer panels (≈ 11 wide, nearest node ≈ 0.04 from the end) and on their halves both see
 * nothing of the layer (1/β = 0.0017 at d = 8), agree, and report a zero error estimate for
 * an integral of ≈ 2e-6: the d = 8 error came out 4e-6 low with an estimate of 2e-11.
 */
export function gradedBreakpoints(thresholds: readonly number[], beta: number, lo: number, hi: number): number[] {
  const points: number[] = [];
  const width = 1 / beta;
  for (let i = 0; i < thresholds.length; i++) {
    const t = thresholds[i];
    points.push(t);
    const left = 0.5 * (t - (i > 0 ? thresholds[i - 1] : lo));
    const right = 0.5 * ((i + 1 < thresholds.length ? thresholds[i + 1] : hi) - t);
    for (let w = width; w < left; w *= 2) points.push(t - w);
    for (let w = width; w < right; w *= 2) points.push(t + w);
  }
  return points.filter((x) => x > lo && x < hi).sort((a, b) => a - b);
}

/**
 * The construction as an exact attention layer: head j has Q = β·P, K = I (P = I, or for the
 * sentinel a rank-(d−1) projection I − uuᵀ posing as full rank), value (−1)^{j+1}·I, and the
 * bias −βτ_j on x_1's score inside the softmax.
 */
export function parityConstructionLayer(
  d: number,
  headThresholds: Float64Array = parityThresholds(d),
  removedDirection?: Float64Array,
): MultiHeadAttention {
  const beta = constructionBeta(d);
  const Q = new Float64Array(d * d);
  for (let k = 0; k < d; k++)
    for (let l = 0; l < d; l++)
      Q[k * d + l] = beta * ((k === l ? 1 : 0) - (removedDirection ? removedDirection[k] * removedDirection[l] : 0));
  const K = new Float64Array(d * d);
  for (let k = 0; k < d; k++) K[k * d + k] = 1;
  const heads: HeadWeights[] = [];
  for (let j = 0; j < headThresholds.length; j++) {
    const V = new Float64Array(d * d);
    for (let k = 0; k < d; k++) V[k * d + k] = j % 2 === 0 ? 1 : -1;
    const bias = -beta * headThresholds[j];
    heads.push({ Q, K, V, score: (p, X, off, i) => dot(p, 0, X, off, d) + (i === 0 ? bias : 0) });
  }
  return new MultiHeadAttention({ d, r: d, normalisation: 'softmax', heads });
}

/** Per-sample squared errors of `layer` against the parity target on Theorem 3's data (Gaussian queries, D_2). */
export function parityErrors(
  layer: MultiHeadAttention,
  rng: Rng,
  size: number,
  frameSampler?: FrameSampler,
): Float64Array {
  const d = layer.d;
  const b = sampleGaussianQueryPairs(rng, d, size, frameSampler);
  const out = layer.evaluate(b.X, b.Y, { size, n: 2, m: 1 });
  return squaredErrors(out, b.X, thresholdParityIndex(b.X, b.Y, { size, d }, parityThresholds(d)), {
    size,
    n: 2,
    m: 1,
    d,
  });
}

/** One construction of parityConstructionErrors: dimension d and its head count (default 2d² + 1). */
export interface ParityCase {
  d: number;
  heads?: number;
}

interface ParityCases {
  cases: ParityCase[];
  panels: ParityPanels;
  /** Chunk k computes case order[k]: the costliest first, so that two workers finish together. */
  order: number[];
}

/** Chunk k of parityConstructionErrors (worker entry: parity-worker.ts). */
export function parityCaseError(s: ParityCases, k: number): ParityConstructionError {
  const c = s.cases[s.order[k]];
  return parityConstructionError(c.d, parityThresholds(c.d, c.heads ?? 2 * c.d * c.d + 1), s.panels);
}

/**
 * parityConstructionError of every case, in the cases' order, on worker threads (the same numbers
 * bit for bit as one after another: each case is one quadrature, whichever thread runs it).
 */
export async function parityConstructionErrors(
  cases: readonly ParityCase[],
  panels: ParityPanels = 'graded',
): Promise<ParityConstructionError[]> {
  // The integrand sums every head's sigmoid: its cost grows with d × heads.
  const cost = (c: ParityCase) => c.d * (c.heads ?? 2 * c.d * c.d + 1);
  const order = cases.map((_, i) => i).sort((a, b) => cost(cases[b]) - cost(cases[a]) || a - b);
  const shared: ParityCases = { cases: [...cases], panels, order };
  const results = await runChunksOnCores(cases.length, shared, parityCaseError, import.meta.url, 'parity-worker');
  const out = new Array<ParityConstructionError>(cases.length);
  results.forEach((r, k) => (out[order[k]] = r));
  return out;
}
