/**
 * The search's attention layers as weights, apart from any trainer: their shape, float64 layouts,
 * initialisation, score ranks, and the exact float64 layer that scores them.
 */
import type { Rng } from '../core/rng.js';
import { MultiHeadAttention, type HeadWeights } from '../model/attention.js';
import { headScoreRanks, type ScoreRanks } from '../model/score-rank.js';
import type { Variant } from './variants.js';

export interface ModelShape {
  d: number;
  r: number;
  heads: number;
  /** Context length N (positions for the bias and positional variants). */
  n: number;
  variant: Variant;
}

/** The trained weights as float64 arrays (row-major, the layouts of the exact evaluator). */
export interface ExportedWeights {
  shape: ModelShape;
  Q: Float64Array;
  K: Float64Array;
  V: Float64Array;
  bias: Float64Array | null;
  positions: Float64Array | null;
}

/**
 * Fresh parameters (float32 values): Q, K with i.i.d. N(0, scale²/d) entries (so that initial scores
 * are O(scale²)), V_h = I/H + N(0, 0.01/d) (the model starts near the trivial average), extras at 0.
 * Both trainers start from these.
 */
export function initialWeights(shape: ModelShape, rng: Rng, initScale: number): ExportedWeights {
  const { d, r, heads: H, n } = shape;
  const gauss = (len: number, sd: number) => {
    const a = new Float32Array(len);
    for (let i = 0; i < len; i++) a[i] = sd * rng.normal();
    return a;
  };
  const Q = gauss(H * d * r, initScale / Math.sqrt(d));
  const K = gauss(H * d * r, initScale / Math.sqrt(d));
  const v = gauss(H * d * d, 0.1 / Math.sqrt(d));
  for (let h = 0; h < H; h++) for (let k = 0; k < d; k++) v[h * d * d + k * d + k] += 1 / H;
  const f64 = (a: Float32Array) => Float64Array.from(a);
  return {
    shape,
    Q: f64(Q),
    K: f64(K),
    V: f64(v),
    bias: shape.variant === 'bias' ? new Float64Array(H * n) : null,
    positions: shape.variant === 'positional' ? new Float64Array(n * d) : null,
  };
}

/** The numerical ranks of Q_h K_hᵀ over the heads, from the weights (not from the shape's label). */
export function weightsScoreRanks(w: ExportedWeights): ScoreRanks {
  return headScoreRanks(w.Q, w.K, w.shape.heads, w.shape.d, w.shape.r);
}

/**
 * The same model as an exact float64 layer. Plain models are ordinary heads; the bias and
 * positional variants become generalized heads whose score is a function of (Q_hᵀy, x_i, i).
 */
export function toFloat64Layer(w: ExportedWeights): MultiHeadAttention {
  const { d, r, heads: H } = w.shape;
  const heads: HeadWeights[] = [];
  for (let h = 0; h < H; h++) {
    const Q = w.Q.slice(h * d * r, (h + 1) * d * r);
    const K = w.K.slice(h * d * r, (h + 1) * d * r);
    const V = w.V.slice(h * d * d, (h + 1) * d * d);
    if (w.shape.variant === 'plain') {
      heads.push({ Q, K, V });
      continue;
    }
    const bias = w.bias;
    const pos = w.positions;
    heads.push({
      Q,
      K,
      V,
      // s_i = ⟨p, K_hᵀ(x_i + pos_i)⟩ + bias_{h,i}, with p = Q_hᵀy supplied by the evaluator.
      score: (p, X, off, i) => {
        let s = bias ? bias[h * w.shape.n + i] : 0;
        for (let c = 0; c < r; c++) {
          let kc = 0;
          for (let j = 0; j < d; j++) kc += K[j * r + c] * (X[off + j] + (pos ? pos[i * d + j] : 0));
          s += p[c] * kc;
        }
        return s;
      },
    });
  }
  return new MultiHeadAttention({ d, r, normalisation: 'softmax', heads });
}
