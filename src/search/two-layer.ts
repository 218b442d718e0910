/**
 * Trainable two-layer low-rank attention for Conjecture 6, in tfjs, with concatenated positional
 * coordinates: context tokens are [x_i; e_i] ∈ R^{d+N}, the query stream starts at [y; 0] and each
 * layer adds its attention output to it (residual), and a learned linear readout maps the final
 * stream to R^d. Each layer is the single-layer model of trainable-attention.ts on the extended
 * tokens, so the float64 evaluator scores it exactly the same way.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../core/rng.js';
import type { ContextDistribution } from '../core/sphere.js';
import { MultiHeadAttention } from '../model/attention.js';
import { squaredErrors } from '../model/monte-carlo.js';
import { nearestNeighbourIndex } from '../model/targets.js';
import { runAdam } from '../training/adam-loop.js';
import { nearestTask, targetPoints, type TrainConfig } from './train.js';
import {
  createModel,
  disposeModel,
  exportWeights,
  forward,
  toFloat64Layer,
  type ExportedWeights,
  type TrainableAttention,
} from './trainable-attention.js';

export interface TwoLayerShape {
  d: number;
  n: number;
  r: number;
  heads: number;
}

interface TwoLayerModel {
  shape: TwoLayerShape;
  layers: [TrainableAttention, TrainableAttention];
  /** Readout [d + N, d]. */
  readout: tf.Variable;
  variables: tf.Variable[];
}

export interface TwoLayerWeights {
  shape: TwoLayerShape;
  layers: [ExportedWeights, ExportedWeights];
  /** Readout, (d + N) × d row-major. */
  readout: Float64Array;
}

function createTwoLayer(shape: TwoLayerShape, rng: Rng, initScale: number): TwoLayerModel {
  const D = shape.d + shape.n;
  const layerShape = { d: D, r: shape.r, heads: shape.heads, n: shape.n, variant: 'plain' as const };
  const layers: [TrainableAttention, TrainableAttention] = [
    createModel(layerShape, rng.splitNamed('layer1'), initScale),
    createModel(layerShape, rng.splitNamed('layer2'), initScale),
  ];
  // The readout starts as the projection on the point coordinates.
  const r0 = new Float32Array(D * shape.d);
  for (let k = 0; k < shape.d; k++) r0[k * shape.d + k] = 1;
  const readout = tf.variable(tf.tensor2d(r0, [D, shape.d]));
  return { shape, layers, readout, variables: [...layers[0].variables, ...layers[1].variables, readout] };
}

/** Tokens [x_i; e_i] and the starting stream [y; 0] as float arrays. */
function extend(
  X: Float64Array,
  Y: Float64Array,
  size: number,
  d: number,
  n: number,
): { T: Float64Array; Z: Float64Array } {
  const D = d + n;
  const T = new Float64Array(size * n * D);
  const Z = new Float64Array(size * D);
  for (let b = 0; b < size; b++) {
    Z.set(Y.subarray(b * d, (b + 1) * d), b * D);
    for (let i = 0; i < n; i++) {
      T.set(X.subarray((b * n + i) * d, (b * n + i + 1) * d), (b * n + i) * D);
      T[(b * n + i) * D + d + i] = 1;
    }
  }
  return { T, Z };
}

function forwardTwoLayer(m: TwoLayerModel, Z: tf.Tensor2D, T: tf.Tensor3D): tf.Tensor2D {
  return tf.tidy(() => {
    const z1 = tf.add(Z, forward(m.layers[0], Z, T)) as tf.Tensor2D;
    const z2 = tf.add(z1, forward(m.layers[1], z1, T)) as tf.Tensor2D;
    return tf.matMul(z2, m.readout as tf.Tensor2D);
  });
}

/** Training settings as for one layer (train.ts), with the two-layer shape. */
export type TwoLayerTrainConfig = Omit<TrainConfig, 'shape' | 'task'> & { shape: TwoLayerShape };

/** Trains a two-layer model on nearest neighbour with Adam (warm-up, cosine); deterministic per seed and backend. */
export function trainTwoLayer(cfg: TwoLayerTrainConfig): TwoLayerWeights {
  const { d, n } = cfg.shape;
  const rng = Rng.fromSeed(cfg.seed);
  const model = createTwoLayer(cfg.shape, rng.splitNamed('init'), cfg.initScale);
  const data = rng.splitNamed('data');
  const task = nearestTask(cfg.dist, d, n);
  try {
    runAdam({
      steps: cfg.steps,
      adam: { learningRate: cfg.learningRate, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
      variables: model.variables,
      batch: (step) => {
        const s = task.sample(data.split(step), cfg.batch);
        const { T, Z } = extend(s.X, s.Y, cfg.batch, d, n);
        const Tt = tf.tensor3d(Float32Array.from(T), [cfg.batch, n, d + n]);
        const Zt = tf.tensor2d(Float32Array.from(Z), [cfg.batch, d + n]);
        const target = tf.tensor2d(targetPoints(s.X, s.target, cfg.batch, n, d), [cfg.batch, d]);
        return {
          tensors: [Tt, Zt, target],
          loss: () => tf.mean(tf.sum(tf.square(tf.sub(forwardTwoLayer(model, Zt, Tt), target)), 1)) as tf.Scalar,
        };
      },
    });
    return {
      shape: cfg.shape,
      layers: [exportWeights(model.layers[0]), exportWeights(model.layers[1])],
      readout: Float64Array.from(model.readout.dataSync()),
    };
  } finally {
    disposeModel(model.layers[0]);
    disposeModel(model.layers[1]);
    model.readout.dispose();
  }
}

/** Float64 outputs (B×d) of trained two-layer weights, through the exact attention evaluator. */
export function evaluateTwoLayer(w: TwoLayerWeights, X: Float64Array, Y: Float64Array, size: number): Float64Array {
  const { d, n } = w.shape;
  const D = d + n;
  const layers: MultiHeadAttention[] = w.layers.map(toFloat64Layer);
  const { T, Z } = extend(X, Y, size, d, n);
  for (const layer of layers) {
    const o = layer.evaluate(T, Z, { size, n, m: 1 });
    for (let k = 0; k < Z.length; k++) Z[k] += o[k];
  }
  const out = new Float64Array(size * d);
  for (let b = 0; b < size; b++) {
    for (let c = 0; c < d; c++) {
      let s = 0;
      for (let k = 0; k < D; k++) s += Z[b * D + k] * w.readout[k * d + c];
      out[b * d + c] = s;
    }
  }
  return out;
}

/** Per-sample nearest-neighbour squared errors of trained two-layer weights on `size` fresh samples. */
export function twoLayerErrors(w: TwoLayerWeights, rng: Rng, dist: ContextDistribution, size: number): Float64Array {
  const { d, n } = w.shape;
  const s = nearestTask(dist, d, n).sample(rng, size);
  return squaredErrors(evaluateTwoLayer(w, s.X, s.Y, size), s.X, nearestNeighbourIndex(s.X, s.Y, { size, n, d }), {
    size,
    n,
    m: 1,
    d,
  });
}

/** Float32 tfjs outputs of the same weights (for the cross-check against the float64 evaluator). */
export function evaluateTwoLayerTf(w: TwoLayerWeights, X: Float64Array, Y: Float64Array, size: number): Float32Array {
  const { d, n } = w.shape;
  const { T, Z } = extend(X, Y, size, d, n);
  const toVar = (e: ExportedWeights): TrainableAttention => {
    const { d: D, r, heads: H } = e.shape;
    const Q = tf.variable(tf.tensor3d(Float32Array.from(e.Q), [H, D, r]));
    const K = tf.variable(tf.tensor3d(Float32Array.from(e.K), [H, D, r]));
    const V = tf.variable(tf.tensor3d(Float32Array.from(e.V), [H, D, D]));
    return { shape: e.shape, Q, K, V, bias: null, positions: null, variables: [Q, K, V] };
  };
  const layers: [TrainableAttention, TrainableAttention] = [toVar(w.layers[0]), toVar(w.layers[1])];
  const readout = tf.variable(tf.tensor2d(Float32Array.from(w.readout), [d + n, d]));
  const model: TwoLayerModel = { shape: w.shape, layers, readout, variables: [] };
  try {
    return tf.tidy(
      () =>
        forwardTwoLayer(
          model,
          tf.tensor2d(Float32Array.from(Z), [size, d + n]),
          tf.tensor3d(Float32Array.from(T), [size, n, d + n]),
        ).dataSync() as Float32Array,
    );
  } finally {
    disposeModel(layers[0]);
    disposeModel(layers[1]);
    readout.dispose();
  }
}
