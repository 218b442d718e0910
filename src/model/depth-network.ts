/**
 * Theorem 5's two-layer network of rank-1 heads, built from the exact float64 attention layers.
 * The query stream starts at y; context tokens are the points with positional coordinates.
 * Layer 1: H hardmax heads with q_h = k_h = u_h (u_h uniform), each adding the positional code
 * of the point it picks into vote coordinates of the query stream (residual connection).
 * Layer 2: one head whose query reads the votes and whose key reads the positions, so it picks
 * the point with the most votes; its value returns the point (the network's output).
 *
 * 'concat': tokens [x_i; e_i; 0_N] ∈ R^{d+2N} (positions and votes in their own coordinates).
 * Votes are integer counts, so every sum is exact and ties break like the target (lowest index).
 * For N = 2 layer 2 has rank 1 (query reads c_1 − c_2, key reads e_1 − e_2); for N > 2 it reads
 * all N counts (rank N in the extended space): a relaxation in the construction's favour.
 *
 * 'additive' (N = 2 only, the sentinel): tokens x_i ± α·e in R^d (e a fixed unit vector), votes
 * written along a second unit vector s; the same heads otherwise, and the most charitable value
 * map I − eeᵀ for layer 2. Nothing separates the position from the point, so the vote is
 * contaminated by ⟨e, x_i⟩/α and the selection by α⟨u, e⟩.
 */
import type { Rng } from '../core/rng.js';
import { sampleContexts, sampleSphere, type BatchShape, type ContextDistribution } from '../core/sphere.js';
import { MultiHeadAttention, type HeadWeights, type Normalisation } from './attention.js';
import { squaredErrors } from './monte-carlo.js';
import { nearestNeighbourIndex } from './targets.js';

export type PositionalEncoding = 'concat' | 'additive';

/** The additive variant's default position scale α: the best of a scan of α from 0.03 to 3 (proofs-notes/theorem-5.md). */
export const DEFAULT_ADDITIVE_ALPHA = 1;

export interface DepthNetworkSpec {
  d: number;
  /** Context length N (additive: N = 2). */
  n: number;
  /** Unit vectors u_h (H×d, row-major), one per layer-1 head. */
  directions: Float64Array;
  /** SENTINEL: key directions k_h ≠ q_h (default: the same as the query directions). */
  keyDirections?: Float64Array;
  heads: number;
  positional: PositionalEncoding;
  /** SENTINEL: layer 2's normalisation (default hardmax); a softmax blends the points by their vote counts. */
  selection?: Normalisation;
  /** Scale α of the additive positional code (ignored for 'concat'; default DEFAULT_ADDITIVE_ALPHA). */
  alpha?: number;
}

/** The two layers as exact attention layers, and the width of the residual stream. */
export interface DepthNetwork {
  spec: DepthNetworkSpec;
  width: number;
  layer1: MultiHeadAttention;
  layer2: MultiHeadAttention;
}

/** H ≥ 1 uniform directions (H×d): layer 1's heads, q_h = k_h = u_h. */
export function sampleDirections(rng: Rng, d: number, heads: number): Float64Array {
  const u = new Float64Array(heads * d);
  for (let h = 0; h < heads; h++) sampleSphere(rng, d, u, h * d);
  return u;
}

function column(width: number, entries: [number, number][]): Float64Array {
  const c = new Float64Array(width);
  for (const [i, v] of entries) c[i] = v;
  return c;
}

/** Builds the network (see the module comment); d ≥ 3, N ≥ 2, H ≥ 1. */
export function buildDepthNetwork(spec: DepthNetworkSpec): DepthNetwork {
  const { d, n, heads: H, directions } = spec;
  if (directions.length !== H * d) throw new RangeError('buildDepthNetwork: directions must be H×d');
  if (spec.positional === 'additive') return buildAdditive(spec);
  const D = d + 2 * n;
  const pos = (i: number) => d + i;
  const vote = (i: number) => d + n + i;
  const layer1: HeadWeights[] = [];
  for (let h = 0; h < H; h++) {
    const q = column(D, []);
    q.set(directions.subarray(h * d, (h + 1) * d));
    const k = column(D, []);
    k.set((spec.keyDirections ?? directions).subarray(h * d, (h + 1) * d));
    const V = new Float64Array(D * D);
    for (let i = 0; i < n; i++) V[vote(i) * D + pos(i)] = 1;
    layer1.push({ Q: q, K: k, V });
  }
  const V2 = new Float64Array(D * D);
  for (let k = 0; k < d; k++) V2[k * D + k] = 1;
  let head2: HeadWeights;
  if (n === 2) {
    head2 = {
      Q: column(D, [
        [vote(0), 1],
        [vote(1), -1],
      ]),
      K: column(D, [
        [pos(0), 1],
        [pos(1), -1],
      ]),
      V: V2,
    };
  } else {
    // Q, K: D×N, row-major; score_i = Σ_j vote_j · [pos_j == i] = votes of i.
    const Q = new Float64Array(D * n);
    const K = new Float64Array(D * n);
    for (let i = 0; i < n; i++) {
      Q[vote(i) * n + i] = 1;
      K[pos(i) * n + i] = 1;
    }
    head2 = { Q, K, V: V2 };
  }
  return {
    spec,
    width: D,
    layer1: new MultiHeadAttention({ d: D, r: 1, normalisation: 'hardmax', heads: layer1 }),
    layer2: new MultiHeadAttention({
      d: D,
      r: n === 2 ? 1 : n,
      normalisation: spec.selection ?? 'hardmax',
      heads: [head2],
    }),
  };
}

/** The additive position code's axis e and the vote axis s: the last two coordinates. */
const additiveAxes = (d: number) => ({ e: d - 1, s: d - 2 });

function buildAdditive(spec: DepthNetworkSpec): DepthNetwork {
  const { d, n, heads: H, directions } = spec;
  const alpha = spec.alpha ?? DEFAULT_ADDITIVE_ALPHA;
  if (n !== 2) throw new RangeError('the additive variant is defined for N = 2');
  if (!(alpha > 0 && Number.isFinite(alpha))) throw new RangeError(`alpha must be finite and > 0 (got ${alpha})`);
  const { e, s } = additiveAxes(d);
  const layer1: HeadWeights[] = [];
  for (let h = 0; h < H; h++) {
    const u = directions.slice(h * d, (h + 1) * d);
    const V = new Float64Array(d * d);
    // Reads ⟨e, x_i ± αe⟩/α = ±1 + ⟨e, x_i⟩/α into the vote axis.
    V[s * d + e] = 1 / alpha;
    layer1.push({ Q: u, K: u.slice(), V });
  }
  const V2 = new Float64Array(d * d);
  for (let k = 0; k < d; k++) if (k !== e) V2[k * d + k] = 1;
  const head2: HeadWeights = { Q: column(d, [[s, 1]]), K: column(d, [[e, 1]]), V: V2 };
  return {
    spec,
    width: d,
    layer1: new MultiHeadAttention({ d, r: 1, normalisation: 'hardmax', heads: layer1 }),
    layer2: new MultiHeadAttention({ d, r: 1, normalisation: 'hardmax', heads: [head2] }),
  };
}

/** Network outputs (B×d) for queries Y (B×d) and contexts X (B×N×d). */
export function evaluateDepthNetwork(net: DepthNetwork, X: Float64Array, Y: Float64Array, size: number): Float64Array {
  const { d, n } = net.spec;
  const D = net.width;
  const tokens = new Float64Array(size * n * D);
  const stream = new Float64Array(size * D);
  const alpha = net.spec.alpha ?? DEFAULT_ADDITIVE_ALPHA;
  const { e } = additiveAxes(d);
  for (let b = 0; b < size; b++) {
    stream.set(Y.subarray(b * d, (b + 1) * d), b * D);
    for (let i = 0; i < n; i++) {
      const t = (b * n + i) * D;
      tokens.set(X.subarray((b * n + i) * d, (b * n + i + 1) * d), t);
      if (net.spec.positional === 'concat') tokens[t + d + i] = 1;
      else tokens[t + e] += i === 0 ? alpha : -alpha;
    }
  }
  const o1 = net.layer1.evaluate(tokens, stream, { size, n, m: 1 });
  for (let k = 0; k < stream.length; k++) stream[k] += o1[k];
  const o2 = net.layer2.evaluate(tokens, stream, { size, n, m: 1 });
  if (D === d) return o2;
  const out = new Float64Array(size * d);
  for (let b = 0; b < size; b++) out.set(o2.subarray(b * D, b * D + d), b * d);
  return out;
}

/** The point the majority (plurality) of the directions' votes picks, per sample: what 'concat' must output. */
export function majorityVoteIndex(
  directions: Float64Array,
  heads: number,
  X: Float64Array,
  Y: Float64Array,
  shape: BatchShape,
): Int32Array {
  const { size, n, d } = shape;
  const out = new Int32Array(size);
  const counts = new Int32Array(n);
  for (let b = 0; b < size; b++) {
    counts.fill(0);
    for (let h = 0; h < heads; h++) {
      let uy = 0;
      for (let k = 0; k < d; k++) uy += directions[h * d + k] * Y[b * d + k];
      let best = -Infinity;
      let pick = 0;
      for (let i = 0; i < n; i++) {
        let ux = 0;
        for (let k = 0; k < d; k++) ux += directions[h * d + k] * X[(b * n + i) * d + k];
        if (uy * ux > best) {
          best = uy * ux;
          pick = i;
        }
      }
      counts[pick] += 1;
    }
    let arg = 0;
    for (let i = 1; i < n; i++) if (counts[i] > counts[arg]) arg = i;
    out[b] = arg;
  }
  return out;
}

/** Per-sample squared errors of the network against the nearest-neighbour target on `size` fresh samples. */
export function depthNetworkErrors(net: DepthNetwork, rng: Rng, dist: ContextDistribution, size: number): Float64Array {
  const { d, n } = net.spec;
  const batch = sampleContexts(rng, dist, { d, n, size });
  const out = evaluateDepthNetwork(net, batch.X, batch.Y, size);
  return squaredErrors(out, batch.X, nearestNeighbourIndex(batch.X, batch.Y, { size, n, d }), { size, n, m: 1, d });
}
