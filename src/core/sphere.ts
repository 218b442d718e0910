/**
 * Samplers on the unit sphere S^{d−1}: uniform points, Haar-distributed orthonormal frames
 * (the D_N context distribution), i.i.d. contexts (unif), and Haar orthogonal matrices.
 * All write into caller-provided Float64Arrays in row-major order.
 */
import type { Rng } from './rng.js';
import { incompleteBeta } from './special.js';

/** d ≥ 1; writes a uniform point of S^{d−1} into out[offset .. offset+d). */
export function sampleSphere(rng: Rng, d: number, out: Float64Array, offset = 0): void {
  for (;;) {
    rng.fillNormal(out, offset, d);
    let s = 0;
    for (let k = 0; k < d; k++) s += out[offset + k] * out[offset + k];
    // A Gaussian vector this short has probability < 1e-200 for d ≥ 1; redraw rather than divide by ~0.
    if (s > 1e-200) {
      const inv = 1 / Math.sqrt(s);
      for (let k = 0; k < d; k++) out[offset + k] *= inv;
      return;
    }
  }
}

/**
 * 1 ≤ n ≤ d; writes n orthonormal vectors (rows) into out[offset .. offset+n·d), distributed by
 * the Haar measure on the Stiefel manifold. Gram–Schmidt of i.i.d. Gaussian vectors is the QR
 * factorisation whose R has a positive diagonal, which is exactly Haar; orthogonalising twice
 * ("twice is enough") keeps the rows orthonormal to ≈ 1e-16.
 */
export function sampleOrthoFrame(rng: Rng, d: number, n: number, out: Float64Array, offset = 0): void {
  if (n > d) throw new RangeError(`an orthonormal frame needs n ≤ d (got n=${n}, d=${d})`);
  for (let i = 0; i < n; i++) {
    const row = offset + i * d;
    for (;;) {
      rng.fillNormal(out, row, d);
      for (let pass = 0; pass < 2; pass++) {
        for (let j = 0; j < i; j++) {
          const other = offset + j * d;
          let dot = 0;
          for (let k = 0; k < d; k++) dot += out[row + k] * out[other + k];
          for (let k = 0; k < d; k++) out[row + k] -= dot * out[other + k];
        }
      }
      let s = 0;
      for (let k = 0; k < d; k++) s += out[row + k] * out[row + k];
      // Redraw in the probability-zero event that the Gaussian row is (numerically) in the span.
      if (s > 1e-20) {
        const inv = 1 / Math.sqrt(s);
        for (let k = 0; k < d; k++) out[row + k] *= inv;
        break;
      }
    }
  }
}

/** d ≥ 1; a Haar-distributed d×d orthogonal matrix (row-major). */
export function sampleOrthogonalMatrix(rng: Rng, d: number): Float64Array {
  const out = new Float64Array(d * d);
  sampleOrthoFrame(rng, d, d, out, 0);
  return out;
}

/** Context distributions of the paper: D_N ("ortho") or i.i.d. uniform points ("unif"). */
export type ContextDistribution = 'ortho' | 'unif';

/** The sizes of a batch: `size` samples, each a query in R^d and n context points in R^d. */
export interface BatchShape {
  d: number;
  n: number;
  size: number;
}

/** A batch of B queries y (B×d) and contexts X (B×n×d), row-major. */
export interface ContextBatch extends BatchShape {
  X: Float64Array;
  Y: Float64Array;
}

/** A frame sampler with the signature of sampleOrthoFrame; sentinels substitute biased ones. */
export type FrameSampler = (rng: Rng, d: number, n: number, out: Float64Array, offset: number) => void;

/**
 * Draws `size` samples: y uniform, X from `dist`; each sample draws y then X from the one stream,
 * so a batch drawn in pieces equals the batch drawn at once. `into` reuses the caller's buffers.
 */
export function sampleContexts(
  rng: Rng,
  dist: ContextDistribution,
  shape: BatchShape,
  frameSampler: FrameSampler = sampleOrthoFrame,
  into?: { X: Float64Array; Y: Float64Array },
): ContextBatch {
  const { d, n, size } = shape;
  if (dist === 'ortho' && n > d) throw new RangeError(`D_N needs n ≤ d (got n=${n}, d=${d})`);
  const X = into ? into.X : new Float64Array(size * n * d);
  const Y = into ? into.Y : new Float64Array(size * d);
  if (X.length < size * n * d || Y.length < size * d) throw new RangeError('sampleContexts: buffers are too short');
  for (let b = 0; b < size; b++) {
    sampleSphere(rng, d, Y, b * d);
    if (dist === 'ortho') frameSampler(rng, d, n, X, b * n * d);
    else for (let i = 0; i < n; i++) sampleSphere(rng, d, X, (b * n + i) * d);
  }
  return { d, n, size, X, Y };
}

/**
 * d ≥ 2, −1 ≤ t ≤ 1; CDF of one coordinate ⟨u, x⟩ of a uniform point x of S^{d−1} (any unit u).
 * Its density is ∝ (1 − t²)^{(d−3)/2}, i.e. (t+1)/2 ~ Beta((d−1)/2, (d−1)/2).
 */
export function sphereCoordinateCdf(d: number, t: number): number {
  if (t <= -1) return 0;
  if (t >= 1) return 1;
  const a = (d - 1) / 2;
  return incompleteBeta((t + 1) / 2, a, a);
}

/** `size` samples of Theorem 3's data: X from D_2 (Haar) and a Gaussian query y ~ N(0, I_d), y then X per sample. */
export function sampleGaussianQueryPairs(
  rng: Rng,
  d: number,
  size: number,
  frameSampler: FrameSampler = sampleOrthoFrame,
): ContextBatch {
  const X = new Float64Array(size * 2 * d);
  const Y = new Float64Array(size * d);
  for (let b = 0; b < size; b++) {
    for (let k = 0; k < d; k++) Y[b * d + k] = rng.normal();
    frameSampler(rng, d, 2, X, b * 2 * d);
  }
  return { d, n: 2, size, X, Y };
}
