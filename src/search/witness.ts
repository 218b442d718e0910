/**
 * Witness inputs: concrete (x_1, x_2, y) in the support of D_2 where a trained low-rank model is
 * badly wrong while the full-rank control is right. Found by projected gradient ascent of the
 * low-rank model's squared error over the inputs (from many random starts), keeping y on the
 * sphere and (x_1, x_2) orthonormal after every step; both models are then scored exactly.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../core/rng.js';
import { sampleContexts } from '../core/sphere.js';
import { batchErrors } from '../model/monte-carlo.js';
import { nearestNeighbourIndex } from '../model/targets.js';
import { forward, type ExportedWeights, type TrainableAttention, toFloat64Layer } from './trainable-attention.js';

export interface Witness {
  y: number[];
  x: number[][];
  /** Exact squared error of the low-rank model on this input. */
  lowRankError: number;
  /** Exact squared error of the full-rank control on it. */
  fullRankError: number;
}

/** A tfjs model holding given weights (not trainable). */
function modelOf(w: ExportedWeights): TrainableAttention {
  const { d, r, heads: H, n } = w.shape;
  const f32 = (a: Float64Array) => Float32Array.from(a);
  const Q = tf.variable(tf.tensor3d(f32(w.Q), [H, d, r]), false);
  const K = tf.variable(tf.tensor3d(f32(w.K), [H, d, r]), false);
  const V = tf.variable(tf.tensor3d(f32(w.V), [H, d, d]), false);
  const bias = w.bias ? tf.variable(tf.tensor2d(f32(w.bias), [H, n]), false) : null;
  const positions = w.positions ? tf.variable(tf.tensor2d(f32(w.positions), [n, d]), false) : null;
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

/** Projects each sample back onto the support of D_2: unit y, orthonormal (x_1, x_2). */
function project(Y: Float32Array, X: Float32Array, size: number, d: number): void {
  const unit = (a: Float32Array, o: number) => {
    let s = 0;
    for (let k = 0; k < d; k++) s += a[o + k] * a[o + k];
    const inv = 1 / Math.sqrt(s);
    for (let k = 0; k < d; k++) a[o + k] *= inv;
  };
  for (let b = 0; b < size; b++) {
    unit(Y, b * d);
    const x1 = b * 2 * d;
    const x2 = x1 + d;
    unit(X, x1);
    let dot = 0;
    for (let k = 0; k < d; k++) dot += X[x1 + k] * X[x2 + k];
    for (let k = 0; k < d; k++) X[x2 + k] -= dot * X[x1 + k];
    unit(X, x2);
  }
}

export interface WitnessOptions {
  starts: number;
  steps: number;
  /** Step size of the ascent, on the unit sphere. */
  stepSize: number;
  seed: number;
  /** How many witnesses to return. */
  count: number;
  /** The control counts as right below this squared error. */
  controlTolerance: number;
}

/** Searches witnesses for the low-rank model `low` against the full-rank control `full` (N = 2). */
export function findWitnesses(low: ExportedWeights, full: ExportedWeights, o: WitnessOptions): Witness[] {
  const d = low.shape.d;
  const n = 2;
  const size = o.starts;
  const start = sampleContexts(Rng.fromSeed(o.seed), 'ortho', { d, n, size });
  const Y = Float32Array.from(start.Y);
  const X = Float32Array.from(start.X);
  const model = modelOf(low);
  try {
    for (let step = 0; step < o.steps; step++) {
      const idx = nearestNeighbourIndex(Float64Array.from(X), Float64Array.from(Y), { size, n, d });
      const target = new Float32Array(size * d);
      for (let b = 0; b < size; b++) for (let k = 0; k < d; k++) target[b * d + k] = X[(b * n + idx[b]) * d + k];
      const [gY, gX] = tf.tidy(() => {
        const yT = tf.tensor2d(Y, [size, d]);
        const xT = tf.tensor3d(X, [size, n, d]);
        const tT = tf.tensor2d(target, [size, d]);
        // The target is held fixed within a step (it is piecewise constant in the inputs).
        const g = tf.grads((y: tf.Tensor, x: tf.Tensor) =>
          tf.sum(tf.square(tf.sub(forward(model, y as tf.Tensor2D, x as tf.Tensor3D), tT))),
        );
        const [a, b] = g([yT, xT]);
        return [a.dataSync() as Float32Array, b.dataSync() as Float32Array];
      });
      for (let i = 0; i < Y.length; i++) Y[i] += o.stepSize * gY[i];
      for (let i = 0; i < X.length; i++) X[i] += o.stepSize * gX[i];
      project(Y, X, size, d);
    }
  } finally {
    for (const v of model.variables) v.dispose();
  }
  // Score the final inputs exactly with both models, in float64.
  const X64 = Float64Array.from(X);
  const Y64 = Float64Array.from(Y);
  const lowErr = batchErrors(toFloat64Layer(low), { kind: 'nearest' }, { X: X64, Y: Y64, size, n });
  const fullErr = batchErrors(toFloat64Layer(full), { kind: 'nearest' }, { X: X64, Y: Y64, size, n });
  const order = Array.from({ length: size }, (_, b) => b)
    .filter((b) => fullErr[b] < o.controlTolerance)
    .sort((a, b) => lowErr[b] - lowErr[a] || a - b);
  return order.slice(0, o.count).map((b) => ({
    y: Array.from(Y64.subarray(b * d, (b + 1) * d)),
    x: [0, 1].map((i) => Array.from(X64.subarray((b * n + i) * d, (b * n + i + 1) * d))),
    lowRankError: lowErr[b],
    fullRankError: fullErr[b],
  }));
}
