/**
 * Trainable rank-r, H-head softmax attention in tfjs, in the variants Theorem 2's bound covers:
 * 'plain' (scores yᵀQ_hK_hᵀx_i), 'bias' (plus a learned score bias per head and position) and
 * 'positional' (keys of x_i + p_i with a learned additive positional term p_i). Every variant sees
 * the query only through Q_hᵀy, and values stay V_h x_i. Weights export to the exact float64
 * evaluator, which is what scores a trained model.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/rng.js';
import { MultiHeadAttention, type HeadWeights } from '../model/attention.js';
import { headScoreRanks, type ScoreRanks } from '../model/score-rank.js';
import { leftTransposed, transposedProduct } from '../training/products.js';

import type { Variant } from './variants.js';

export { VARIANTS, type Variant } from './variants.js';

export interface ModelShape {
  d: number;
  r: number;
  heads: number;
  /** Context length N (positions for the bias and positional variants). */
  n: number;
  variant: Variant;
}

/** The learnable tensors: Q, K of shape [H, d, r], V of shape [H, d, d], and the variant's extras. */
export interface TrainableAttention {
  shape: ModelShape;
  Q: tf.Variable;
  K: tf.Variable;
  V: tf.Variable;
  /** 'bias': [H, N] score biases. */
  bias: tf.Variable | null;
  /** 'positional': [N, d] additive positional terms of the keys. */
  positions: tf.Variable | null;
  variables: tf.Variable[];
}

/**
 * Fresh parameters: Q, K with i.i.d. N(0, scale²/d) entries (so that initial scores are O(scale²)),
 * V_h = I/H + N(0, 0.01/d) (the model starts near the trivial average), extras at 0.
 */
export function createModel(shape: ModelShape, rng: Rng, initScale: number): TrainableAttention {
  const { d, r, heads: H, n } = shape;
  const gauss = (len: number, sd: number) => {
    const a = new Float32Array(len);
    for (let i = 0; i < len; i++) a[i] = sd * rng.normal();
    return a;
  };
  const Q = tf.variable(tf.tensor3d(gauss(H * d * r, initScale / Math.sqrt(d)), [H, d, r]), true, undefined, 'float32');
  const K = tf.variable(tf.tensor3d(gauss(H * d * r, initScale / Math.sqrt(d)), [H, d, r]), true, undefined, 'float32');
  const v = gauss(H * d * d, 0.1 / Math.sqrt(d));
  for (let h = 0; h < H; h++) for (let k = 0; k < d; k++) v[h * d * d + k * d + k] += 1 / H;
  const V = tf.variable(tf.tensor3d(v, [H, d, d]));
  const bias = shape.variant === 'bias' ? tf.variable(tf.zeros([H, n])) : null;
  const positions = shape.variant === 'positional' ? tf.variable(tf.zeros([n, d])) : null;
  return {
    shape,
    Q,
    K,
    V,
    bias,
    positions,
    variables: [Q, K, V, ...(bias ? [bias] : []), ...(positions ? [positions] : [])],
  };
}

/** The model holding exported weights (float32): a warm start, e.g. at a known construction. */
export function modelFromWeights(w: ExportedWeights): TrainableAttention {
  const { d, r, heads: H, n } = w.shape;
  const Q = tf.variable(tf.tensor3d(Float32Array.from(w.Q), [H, d, r]), true, undefined, 'float32');
  const K = tf.variable(tf.tensor3d(Float32Array.from(w.K), [H, d, r]), true, undefined, 'float32');
  const V = tf.variable(tf.tensor3d(Float32Array.from(w.V), [H, d, d]));
  const bias = w.bias ? tf.variable(tf.tensor2d(Float32Array.from(w.bias), [H, n])) : null;
  const positions = w.positions ? tf.variable(tf.tensor2d(Float32Array.from(w.positions), [n, d])) : null;
  return {
    shape: w.shape,
    Q,
    K,
    V,
    bias,
    positions,
    variables: [Q, K, V, ...(bias ? [bias] : []), ...(positions ? [positions] : [])],
  };
}

/** Releases the model's tensors. */
export function disposeModel(m: TrainableAttention): void {
  for (const v of m.variables) v.dispose();
}

/** Forward pass: Y [B, d], X [B, N, d] → outputs [B, d]. */
export function forward(m: TrainableAttention, Y: tf.Tensor2D, X: tf.Tensor3D): tf.Tensor2D {
  const { d, r, heads: H, n } = m.shape;
  const B = Y.shape[0];
  return tf.tidy(() => {
    // p = Q_hᵀy for every head: [B, H·r].
    const Qm = tf.reshape(tf.transpose(m.Q, [1, 0, 2]), [d, H * r]);
    const P = tf.reshape(plainMatMul(Y, Qm as tf.Tensor2D), [B * H, 1, r]);
    // Keys K_hᵀ(x_i + p_i): [B, H, N, r] → [B·H, r, N].
    const keysIn = m.positions ? tf.add(X, tf.expandDims(m.positions, 0)) : X;
    const Km = tf.reshape(tf.transpose(m.K, [1, 0, 2]), [d, H * r]);
    const Kx = tf.reshape(plainMatMul(tf.reshape(keysIn, [B * n, d]), Km as tf.Tensor2D), [B, n, H, r]);
    const KxT = tf.reshape(tf.transpose(Kx, [0, 2, 3, 1]), [B * H, r, n]);
    let S = tf.reshape(tf.matMul(P, KxT), [B, H, n]);
    if (m.bias) S = tf.add(S, tf.expandDims(m.bias, 0));
    const A = tf.softmax(S); // over the last axis: the N positions
    // z_h = Σ_i a_{h,i} x_i: [B, H, N]·[B, N, d] → [B, H, d]; out = Σ_h V_h z_h.
    const Z = tf.reshape(weightedSum(A as tf.Tensor3D, X, B, H, n, d), [B, H * d]);
    const Vt = tf.reshape(tf.transpose(m.V, [0, 2, 1]), [H * d, d]);
    return plainMatMul(Z as tf.Tensor2D, Vt as tf.Tensor2D);
  });
}

/**
 * a·b with a gradient built from explicit transposes and untransposed products: the wasm backend
 * runs matMul with a transposed operand (what the built-in gradient uses) ten times slower; there
 * aᵀ·dy is our kernel (training/products.ts), which reads a as it lies.
 */
export const plainMatMul = tf.customGrad(((a: tf.Tensor2D, b: tf.Tensor2D, save: tf.GradSaveFunc) => {
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => [
      tf.matMul(dy, tf.transpose(saved[1] as tf.Tensor2D)),
      transposedProduct(saved[0] as tf.Tensor2D, dy, leftTransposed),
    ],
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

/**
 * Σ_i A[b,h,i]·X[b,i,:] → [B, H, d]. For short contexts a sum of N broadcast products is several
 * times faster (forward and backward) than tfjs's batched matMul of B tiny (H×N)·(N×d) matrices.
 */
function weightedSum(A: tf.Tensor3D, X: tf.Tensor3D, B: number, H: number, n: number, d: number): tf.Tensor3D {
  if (n > 4) return tf.matMul(A, X);
  let z: tf.Tensor3D | null = null;
  for (let i = 0; i < n; i++) {
    const term = tf.mul(tf.slice(A, [0, 0, i], [B, H, 1]), tf.slice(X, [0, i, 0], [B, 1, d])) as tf.Tensor3D;
    z = z === null ? term : (tf.add(z, term) as tf.Tensor3D);
  }
  return z as tf.Tensor3D;
}

/** Mean over the batch of ‖f(X, y) − target‖². */
export function meanSquaredError(
  m: TrainableAttention,
  Y: tf.Tensor2D,
  X: tf.Tensor3D,
  target: tf.Tensor2D,
): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.sum(tf.square(tf.sub(forward(m, Y, X), target)), 1)) as tf.Scalar);
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

/** Copies the weights out of tfjs. */
export function exportWeights(m: TrainableAttention): ExportedWeights {
  const f64 = (t: tf.Tensor | null) => (t ? Float64Array.from(t.dataSync()) : null);
  return { shape: m.shape, Q: f64(m.Q)!, K: f64(m.K)!, V: f64(m.V)!, bias: f64(m.bias), positions: f64(m.positions) };
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
