/**
 * The paper's target functions, as indices into the context (the target's output is that point).
 * Ties are broken towards the lowest index, so every target is a deterministic function.
 */
import type { BatchShape } from '../core/sphere.js';

/** Batch of B queries (B×d) against contexts (B×n×d); returns argmax_i ⟨x_i, y⟩ per sample. */
export function nearestNeighbourIndex(X: Float64Array, Y: Float64Array, shape: BatchShape): Int32Array {
  return biasedNearestNeighbourIndex(X, Y, shape, null);
}

/**
 * Biased nearest neighbour (reconstructed in the digest): argmax_i (⟨x_i, y⟩ + bias_i).
 * bias has length n, or null for no bias.
 */
export function biasedNearestNeighbourIndex(
  X: Float64Array,
  Y: Float64Array,
  shape: BatchShape,
  bias: ArrayLike<number> | null,
): Int32Array {
  const { size, n, d } = shape;
  const out = new Int32Array(size);
  for (let b = 0; b < size; b++) {
    const y = b * d;
    let best = -Infinity;
    let arg = 0;
    for (let i = 0; i < n; i++) {
      const x = (b * n + i) * d;
      let s = bias ? bias[i] : 0;
      for (let k = 0; k < d; k++) s += X[x + k] * Y[y + k];
      if (s > best) {
        best = s;
        arg = i;
      }
    }
    out[b] = arg;
  }
  return out;
}

/**
 * Farthest neighbour in self-attention form: token j of each sample must output
 * x_{argmin_i ⟨x_i, x_j⟩}. Returns size×n indices (sample-major).
 */
export function farthestNeighbourSelfIndex(X: Float64Array, shape: BatchShape): Int32Array {
  const { size, n, d } = shape;
  const out = new Int32Array(size * n);
  // Each inner product once: ⟨x_i, x_j⟩ and ⟨x_j, x_i⟩ multiply the same pairs in the same order
  // (a product commutes exactly), so the Gram matrix is symmetric to the bit.
  const gram = new Float64Array(n * n);
  for (let b = 0; b < size; b++) {
    const x0 = b * n * d;
    for (let j = 0; j < n; j++) {
      const xj = x0 + j * d;
      for (let i = 0; i <= j; i++) {
        const xi = x0 + i * d;
        let s = 0;
        for (let k = 0; k < d; k++) s += X[xi + k] * X[xj + k];
        gram[i * n + j] = s;
        gram[j * n + i] = s;
      }
    }
    for (let j = 0; j < n; j++) {
      let best = Infinity;
      let arg = 0;
      for (let i = 0; i < n; i++) {
        const s = gram[i * n + j];
        if (s < best) {
          best = s;
          arg = i;
        }
      }
      out[b * n + j] = arg;
    }
  }
  return out;
}

/**
 * Theorem 3's target (reconstructed, N = 2): the alternating sum Σ_j (−1)^{j+1} f_j of biased
 * nearest neighbours f_j = x_1 iff t = ⟨x_1 − x_2, y⟩ > τ_j. It is always x_1 or x_2: x_1 when an
 * odd number of the increasing thresholds τ lie below t. Returns 0 (x_1) or 1 (x_2) per sample.
 */
export function thresholdParityIndex(
  X: Float64Array,
  Y: Float64Array,
  shape: Pick<BatchShape, 'size' | 'd'>,
  thresholds: ArrayLike<number>,
): Int32Array {
  const { size, d } = shape;
  const out = new Int32Array(size);
  for (let b = 0; b < size; b++) {
    let t = 0;
    for (let k = 0; k < d; k++) t += (X[2 * b * d + k] - X[(2 * b + 1) * d + k]) * Y[b * d + k];
    let below = 0;
    while (below < thresholds.length && thresholds[below] < t) below++;
    out[b] = below % 2 === 1 ? 0 : 1;
  }
  return out;
}
