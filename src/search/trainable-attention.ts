/**
 * Trainable rank-r, H-head softmax attention in tfjs, in the variants Theorem 2's bound covers:
 * 'plain' (scores yᵀQ_hK_hᵀx_i), 'bias' (plus a learned score bias per head and position) and
 * 'positional' (keys of x_i + p_i with a learned additive positional term p_i). Every variant sees
 * the query only through Q_hᵀy, and values stay V_h x_i. Weights export to the exact float64
 * evaluator, which is what scores a trained model.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/rng.js';
import { leftTransposed, transposedProduct } from '../training/products.js';
import { initialWeights, type ExportedWeights, type ModelShape } from './attention-weights.js';

export { VARIANTS, type Variant } from './variants.js';
export {
  initialWeights,
  toFloat64Layer,
  weightsScoreRanks,
  type ExportedWeights,
  type ModelShape,
} from './attention-weights.js';

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

/** A fresh model: initialWeights's parameters as tfjs variables. */
export function createModel(shape: ModelShape, rng: Rng, initScale: number): TrainableAttention {
  return modelFromWeights(initialWeights(shape, rng, initScale));
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

/** Copies the weights out of tfjs. */
export function exportWeights(m: TrainableAttention): ExportedWeights {
  const f64 = (t: tf.Tensor | null) => (t ? Float64Array.from(t.dataSync()) : null);
  return { shape: m.shape, Q: f64(m.Q)!, K: f64(m.K)!, V: f64(m.V)!, bias: f64(m.bias), positions: f64(m.positions) };
}
