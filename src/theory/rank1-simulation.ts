/**
 * Rank-1 hardmax heads with output weights run on fresh D_2 samples, for checking a computed
 * error against what the heads really do: each head picks the context point x_i maximising
 * ⟨q_h, y⟩⟨k_h, x_i⟩, the layer outputs Σ_h a_h x_{c_h}, and its error is ‖output − x_nearest‖².
 * Nothing here uses the arcsin kernel or the agreement series, so it is an independent witness of
 * 1 − 2aᵀb + aᵀCa. Several weight vectors share the same samples (paired).
 */
import { compiledModule, defaultWorkers, runChunks } from '../core/parallel.js';
import type { Rng } from '../core/rng.js';
import { sampleContexts, sampleOrthoFrame, type FrameSampler } from '../core/sphere.js';
import { EMPTY_MOMENTS, mergeMoments, momentsOf, type Moments } from '../core/stats.js';
import { dot } from '../core/vector.js';
import type { Rank1Heads } from './rank1-heads.js';

const PIECE = 4096;
/** Pieces drawn before the workers score them (about 50 MB of samples at d = 8). */
const ROUND_PIECES = 64;

/** Per weight vector, the moments of the D_2 errors of the n samples at piece offsets (xAt, yAt) of X, Y. */
function scorePiece(
  heads: Rank1Heads,
  weights: readonly ArrayLike<number>[],
  X: Float64Array,
  Y: Float64Array,
  xAt: number,
  yAt: number,
  n: number,
): Moments[] {
  const { d, count: H, q, k } = heads;
  const errors = weights.map(() => new Float64Array(n));
  const picksFirst = new Uint8Array(H);
  const diff = new Float64Array(d);
  for (let s = 0; s < n; s++) {
    const y = yAt + s * d;
    const x1 = xAt + 2 * s * d;
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
  return errors.map((e) => momentsOf(e, n));
}

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
  const { d } = heads;
  const piece = Math.min(PIECE, samples);
  const buffers = { X: new Float64Array(piece * 2 * d), Y: new Float64Array(piece * d) };
  let out = weights.map(() => EMPTY_MOMENTS);
  for (let done = 0; done < samples; done += piece) {
    const n = Math.min(piece, samples - done);
    sampleContexts(rng, 'ortho', { d, n: 2, size: n }, frameSampler, buffers);
    const m = scorePiece(heads, weights, buffers.X, buffers.Y, 0, 0, n);
    out = out.map((x, w) => mergeMoments(x, m[w]));
  }
  return out;
}

/** What the workers of simulateRank1ErrorsOnWorkers share: the heads, the weights and one round's samples. */
interface SimulationRound {
  heads: Rank1Heads;
  weights: ArrayLike<number>[];
  X: Float64Array;
  Y: Float64Array;
  /** Samples in the round (its last piece may be short). */
  size: number;
}

/** Chunk p of a round: the moments of its piece p (worker entry: rank1-simulation-worker.ts). */
export function scoreRoundPiece(r: SimulationRound, p: number): Moments[] {
  const d = r.heads.d;
  return scorePiece(
    r.heads,
    r.weights,
    r.X,
    r.Y,
    p * PIECE * 2 * d,
    p * PIECE * d,
    Math.min(PIECE, r.size - p * PIECE),
  );
}

/**
 * simulateRank1Errors with the scoring on worker threads, the same moments bit for bit: this
 * thread draws every piece from `rng` in the same order into shared memory, a round of pieces at a
 * time, the workers score the pieces, and the moments merge in piece order.
 */
export async function simulateRank1ErrorsOnWorkers(
  heads: Rank1Heads,
  weights: readonly ArrayLike<number>[],
  rng: Rng,
  samples: number,
  frameSampler: FrameSampler = sampleOrthoFrame,
  workers = defaultWorkers(),
): Promise<Moments[]> {
  if (workers < 2 || samples <= PIECE) return simulateRank1Errors(heads, weights, rng, samples, frameSampler);
  const { d } = heads;
  const shared = (length: number) => new Float64Array(new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT));
  let out = weights.map(() => EMPTY_MOMENTS);
  for (let done = 0; done < samples;) {
    const size = Math.min(ROUND_PIECES * PIECE, samples - done);
    const X = shared(size * 2 * d);
    const Y = shared(size * d);
    const pieces = Math.ceil(size / PIECE);
    for (let p = 0; p < pieces; p++) {
      const n = Math.min(PIECE, size - p * PIECE);
      const into = { X: X.subarray(p * PIECE * 2 * d), Y: Y.subarray(p * PIECE * d) };
      sampleContexts(rng, 'ortho', { d, n: 2, size: n }, frameSampler, into);
    }
    const run = await runChunks(
      pieces,
      { heads, weights: [...weights], X, Y, size } satisfies SimulationRound,
      scoreRoundPiece,
      compiledModule(import.meta.url, 'rank1-simulation-worker'),
      { workers: Math.min(workers, pieces) },
    );
    for (const m of run.results) out = out.map((x, w) => mergeMoments(x, m[w]));
    done += size;
  }
  return out;
}
