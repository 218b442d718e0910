/**
 * The Section-7 transformer in tfjs (float32): trainable variables, forward pass and export to the
 * float64 layout of weights.ts. Every matrix product goes through affine / linear / plainBatchMatMul,
 * whose gradients use explicit transposes (the trick of the search's plainMatMul): tfjs-wasm runs
 * matMul with a transposed operand (what the built-in gradients use) about ten times slower.
 */
import * as tf from '@tensorflow/tfjs';
import { columnSums, transposedProduct } from '../training/products.js';
import { SCALE_NORM_EPSILON } from '../training/scale-norm.js';
import type { TransformerShape } from './shape.js';
import { inTrainingOrder, type TransformerWeights } from './weights.js';

export { initialWeights } from './initial-weights.js';

/**
 * x·W (+ b) for x [rows, k], W [k, n], with a gradient that never transposes a large operand:
 * tfjs-wasm runs matMul with a transposed operand about ten times slower, an explicit transpose of
 * a [4096, 2048] activation costs as much as a matMul, and the built-in bias gradient (a sum over
 * axis 0) transposes dy first. dW = xᵀ·dy and db = 1ᵀ·dy come from training/products.ts (our
 * kernels on wasm, which read x and dy as they lie; matMuls elsewhere).
 */
const affineOp = tf.customGrad(((x: tf.Tensor2D, W: tf.Tensor2D, b: tf.Tensor1D, save: tf.GradSaveFunc) => {
  save([x, W]);
  return {
    value: tf.add(tf.matMul(x, W), b),
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
      const [xs, Ws] = saved as tf.Tensor2D[];
      return [tf.matMul(dy, tf.transpose(Ws)), transposedProduct(xs, dy), columnSums(dy)];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (
  x: tf.Tensor2D,
  W: tf.Tensor2D,
  b: tf.Tensor1D,
) => tf.Tensor2D;

/** x·W + b (see affineOp). */
export function affine(x: tf.Tensor2D, W: tf.Variable, b: tf.Variable): tf.Tensor2D {
  return affineOp(x, W as unknown as tf.Tensor2D, b as unknown as tf.Tensor1D);
}

/** x·W without bias: plainMatMul's gradient, with dW = xᵀ·dy as in affineOp. */
const linearOp = tf.customGrad(((x: tf.Tensor2D, W: tf.Tensor2D, save: tf.GradSaveFunc) => {
  save([x, W]);
  return {
    value: tf.matMul(x, W),
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
      const [xs, Ws] = saved as tf.Tensor2D[];
      return [tf.matMul(dy, tf.transpose(Ws)), transposedProduct(xs, dy)];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor2D, W: tf.Tensor2D) => tf.Tensor2D;

/** x·W (see linearOp). */
export function linear(x: tf.Tensor2D, W: tf.Variable | tf.Tensor2D): tf.Tensor2D {
  return linearOp(x, W as unknown as tf.Tensor2D);
}

/** Batched a·b ([k, n, m]·[k, m, p]) with the gradient built like plainMatMul's. */
export const plainBatchMatMul = tf.customGrad(((a: tf.Tensor3D, b: tf.Tensor3D, save: tf.GradSaveFunc) => {
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor3D, saved: tf.Tensor[]) => [
      tf.matMul(dy, tf.transpose(saved[1] as tf.Tensor3D, [0, 2, 1])),
      tf.matMul(tf.transpose(saved[0] as tf.Tensor3D, [0, 2, 1]), dy),
    ],
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (a: tf.Tensor3D, b: tf.Tensor3D) => tf.Tensor3D;

interface LayerVars {
  Wq: tf.Variable;
  Wk: tf.Variable;
  Wv: tf.Variable;
  Wo: tf.Variable;
  g1: tf.Variable;
  g2: tf.Variable;
  W1: tf.Variable;
  b1: tf.Variable;
  W2: tf.Variable;
  b2: tf.Variable;
}

export interface TrainableTransformer {
  shape: TransformerShape;
  embed: { W: tf.Variable; b: tf.Variable } | null;
  positions: tf.Variable | null;
  layers: LayerVars[];
  readout: { W: tf.Variable; b: tf.Variable } | null;
  variables: tf.Variable[];
}

/** tfjs variables holding `w` (float32). */
export function createTransformer(w: TransformerWeights): TrainableTransformer {
  const s = w.shape;
  const G = s.copies * s.heads;
  const v = (a: Float64Array, shape: number[]) => tf.variable(tf.tensor(Float32Array.from(a), shape));
  const sc = (x: number) => tf.variable(tf.scalar(x));
  const embed = w.embed ? { W: v(w.embed.W, [s.inputDim, s.width]), b: v(w.embed.b, [s.width]) } : null;
  const positions = w.positions ? v(w.positions, [s.n, s.appendedPositions > 0 ? s.appendedPositions : s.width]) : null;
  const layers = w.layers.map((l) => ({
    Wq: v(l.Wq, [s.width, G * s.rank]),
    Wk: v(l.Wk, [s.width, G * s.rank]),
    Wv: v(l.Wv, [s.width, G * s.rank]),
    Wo: v(l.Wo, [G * s.rank, s.width]),
    g1: sc(l.g1),
    g2: sc(l.g2),
    W1: v(l.W1, [s.width, s.mlpWidth]),
    b1: v(l.b1, [s.mlpWidth]),
    W2: v(l.W2, [s.mlpWidth, s.width]),
    b2: v(l.b2, [s.width]),
  }));
  const readout =
    w.readout && s.outputDim !== null && !s.sliceOutput
      ? { W: v(w.readout.W, [s.width, s.outputDim]), b: v(w.readout.b, [s.outputDim]) }
      : null;
  const variables = inTrainingOrder({ embed, positions, layers, readout });
  return { shape: s, embed, positions, layers, readout, variables };
}

/** Releases the model's tensors. */
export function disposeTransformer(m: TrainableTransformer): void {
  for (const v of m.variables) v.dispose();
}

function scaleNorm(x: tf.Tensor2D, g: tf.Variable): tf.Tensor2D {
  return tf.mul(x, tf.div(g, tf.sqrt(tf.add(tf.sum(tf.square(x), 1, true), SCALE_NORM_EPSILON)))) as tf.Tensor2D;
}

/** One post-norm layer on the stream x [B·N, width]. */
function layerForward(l: LayerVars, s: TransformerShape, x: tf.Tensor2D, B: number): tf.Tensor2D {
  const { n: N, rank: r } = s;
  const G = s.copies * s.heads;
  // Heads as a batch: [B·N, G·r] → [B, N, G, r] → [B·G, N, r] (keys straight to [B·G, r, N]).
  const heads = (t: tf.Tensor2D) =>
    tf.reshape(tf.transpose(tf.reshape(t, [B, N, G, r]), [0, 2, 1, 3]), [B * G, N, r]) as tf.Tensor3D;
  const q = heads(linear(x, l.Wq));
  const kT = tf.reshape(tf.transpose(tf.reshape(linear(x, l.Wk), [B, N, G, r]), [0, 2, 3, 1]), [
    B * G,
    r,
    N,
  ]) as tf.Tensor3D;
  const v = heads(linear(x, l.Wv));
  const A = tf.softmax(tf.mul(plainBatchMatMul(q, kT), 1 / Math.sqrt(r))) as tf.Tensor3D;
  const z = tf.reshape(tf.transpose(tf.reshape(plainBatchMatMul(A, v), [B, G, N, r]), [0, 2, 1, 3]), [
    B * N,
    G * r,
  ]) as tf.Tensor2D;
  // The average over copies; with one copy, ×1 is exact, so the two kernels it costs are skipped.
  const projected = linear(z, l.Wo);
  const att = s.copies === 1 ? projected : (tf.mul(projected, 1 / s.copies) as tf.Tensor2D);
  const h = scaleNorm(tf.add(x, att), l.g1);
  const hidden = tf.relu(affine(h, l.W1, l.b1)) as tf.Tensor2D;
  const mlp = affine(hidden, l.W2, l.b2);
  return scaleNorm(tf.add(h, mlp), l.g2);
}

/** Forward pass: tokens [B·N, inputDim] → outputs [B·N, outputDim or width]. */
export function forwardTransformer(m: TrainableTransformer, tokens: tf.Tensor2D, B: number): tf.Tensor2D {
  const s = m.shape;
  return tf.tidy(() => {
    let x = tokens;
    if (m.embed) x = affine(x, m.embed.W, m.embed.b);
    if (m.positions && s.appendedPositions > 0) {
      const P = s.appendedPositions;
      const tiled = tf.tile(tf.reshape(m.positions, [1, s.n, P]), [B, 1, 1]);
      x = tf.reshape(tf.concat([tf.reshape(x, [B, s.n, s.inputDim]), tiled], 2), [B * s.n, s.width]) as tf.Tensor2D;
    } else if (m.positions)
      x = tf.reshape(tf.add(tf.reshape(x, [B, s.n, s.width]), m.positions), [B * s.n, s.width]) as tf.Tensor2D;
    for (const l of m.layers) x = layerForward(l, s, x, B);
    if (s.sliceOutput && s.outputDim !== null) return tf.slice(x, [0, 0], [B * s.n, s.outputDim]);
    if (m.readout) x = affine(x, m.readout.W, m.readout.b);
    return x;
  });
}

/** The model's weights as float64 arrays. */
export function exportTransformer(m: TrainableTransformer): TransformerWeights {
  const f = (t: tf.Variable) => Float64Array.from(t.dataSync());
  const sc = (t: tf.Variable) => t.dataSync()[0];
  return {
    shape: m.shape,
    embed: m.embed ? { W: f(m.embed.W), b: f(m.embed.b) } : null,
    positions: m.positions ? f(m.positions) : null,
    layers: m.layers.map((l) => ({
      Wq: f(l.Wq),
      Wk: f(l.Wk),
      Wv: f(l.Wv),
      Wo: f(l.Wo),
      g1: sc(l.g1),
      g2: sc(l.g2),
      W1: f(l.W1),
      b1: f(l.b1),
      W2: f(l.W2),
      b2: f(l.b2),
    })),
    readout: m.readout ? { W: f(m.readout.W), b: f(m.readout.b) } : null,
  };
}
