/**
 * Rank-1 hardmax heads with output weights run on fresh D_2 samples, for checking a computed
 * error against what the heads really do: each head picks the context point x_i maximising
 * ⟨q_h, y⟩⟨k_h, x_i⟩, the layer outputs Σ_h a_h x_{c_h}, and its error is ‖output − x_nearest‖².
 * Nothing here uses the arcsin kernel or the agreement series, so it is an independent witness of
 * 1 − 2aᵀb + aᵀCa. Several weight vectors share the same samples (paired).
 */
import type { Rng } from '../core/rng.js';
import { sampleContexts, sampleOrthoFrame, type FrameSampler } from '../core/sphere.js';
import { EMPTY_MOMENTS, mergeMoments, momentsOf, type Moments } from '../core/stats.js';
import { dot } from '../core/vector.js';
import type { Rank1Heads } from './rank1-heads.js';

const PIECE = 4096;

/**
 * samples ≥ 2; per weight vector (each of length heads.count), the moments of the per-sample D_2
 * error of the heads with those weights on the same `samples` draws (y, then the Haar frame).
 */
export function simulateRank1Errors(
  heads: Rank1Heads,
  weights: readonly ArrayLike<number>[],
  rng: Rng,
  samples: number,
  frameSampler: FrameSampler = sampleOrthoFrame,
): Moments[] {
  const { d, count: H, q, k } = heads;
  const piece = Math.min(PIECE, samples);
  const buffers = { X: new Float64Array(piece * 2 * d), Y: new Float64Array(piece * d) };
  const errors = weights.map(() => new Float64Array(piece));
  const picksFirst = new Uint8Array(H);
  const diff = new Float64Array(d);
  let out = weights.map(() => EMPTY_MOMENTS);
  for (let done = 0; done < samples; done += piece) {
    const n = Math.min(piece, samples - done);
    sampleContexts(rng, 'ortho', { d, n: 2, size: n }, frameSampler, buffers);
    const { X, Y } = buffers;
    for (let s = 0; s < n; s++) {
      const y = s * d;
      const x1 = 2 * s * d;
      for (let j = 0; j < d; j++) diff[j] = X[x1 + j] - X[x1 + d + j];
      // The nearest of two unit points is the one with the larger inner product with y.
      const nearestIsFirst = dot(Y, y, diff, 0, d) > 0;
      // Head h picks x_1 when ⟨q_h, y⟩⟨k_h, x_1 − x_2⟩ > 0.
      for (let h = 0; h < H; h++) picksFirst[h] = dot(q, h * d, Y, y, d) * dot(k, h * d, diff, 0, d) > 0 ? 1 : 0;
      // x_1, x_2 orthonormal: the error is (weight on the nearest − 1)² + (weight on the other)².
      for (let w = 0; w < weights.length; w++) {
        const a = weights[w];
        let onFirst = 0;
        let total = 0;
        for (let h = 0; h < H; h++) {
          total += a[h];
          if (picksFirst[h]) onFirst += a[h];
        }
        const onNearest = nearestIsFirst ? onFirst : total - onFirst;
        errors[w][s] = (onNearest - 1) ** 2 + (total - onNearest) ** 2;
      }
    }
    out = out.map((m, w) => mergeMoments(m, momentsOf(errors[w], n)));
  }
  return out;
}
