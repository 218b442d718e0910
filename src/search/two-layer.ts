/**
 * Trainable two-layer low-rank attention for Conjecture 6 with concatenated positional
 * coordinates: context tokens are [x_i; e_i] ∈ R^{d+N}, the query stream starts at [y; 0] and each
 * layer adds its attention output to it (residual), and a learned linear readout maps the final
 * stream to R^d. Trained by the preferred trainer; this module holds the tfjs one, the reference.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../core/rng.js';
import { runAdam } from '../training/adam-loop.js';
import { preferredTrainer } from '../training/trainer-state.js';
import { nearestTask, SEARCH_ADAM, targetPoints } from './train-config.js';
import { trainTwoLayerFused } from './train-fused.js';
import {
  disposeModel,
  exportWeights,
  forward,
  modelFromWeights,
  type TrainableAttention,
} from './trainable-attention.js';
import {
  extend,
  initialTwoLayer,
  type TwoLayerShape,
  type TwoLayerTrainConfig,
  type TwoLayerWeights,
} from './two-layer-weights.js';

export {
  evaluateTwoLayer,
  twoLayerErrors,
  type TwoLayerShape,
  type TwoLayerTrainConfig,
  type TwoLayerWeights,
} from './two-layer-weights.js';

interface TwoLayerModel {
  shape: TwoLayerShape;
  layers: [TrainableAttention, TrainableAttention];
  /** Readout [d + N, d]. */
  readout: tf.Variable;
  variables: tf.Variable[];
}

function createTwoLayer(shape: TwoLayerShape, rng: Rng, initScale: number): TwoLayerModel {
  const w = initialTwoLayer(shape, rng, initScale);
  const layers: [TrainableAttention, TrainableAttention] = [
    modelFromWeights(w.layers[0]),
    modelFromWeights(w.layers[1]),
  ];
  const readout = tf.variable(tf.tensor2d(Float32Array.from(w.readout), [shape.d + shape.n, shape.d]));
  return { shape, layers, readout, variables: [...layers[0].variables, ...layers[1].variables, readout] };
}

function forwardTwoLayer(m: TwoLayerModel, Z: tf.Tensor2D, T: tf.Tensor3D): tf.Tensor2D {
  return tf.tidy(() => {
    const z1 = tf.add(Z, forward(m.layers[0], Z, T)) as tf.Tensor2D;
    const z2 = tf.add(z1, forward(m.layers[1], z1, T)) as tf.Tensor2D;
    return tf.matMul(z2, m.readout as tf.Tensor2D);
  });
}

/**
 * Trains a two-layer model on nearest neighbour with Adam (warm-up, cosine) by the preferred
 * trainer: deterministic per seed (and, with tfjs, per backend).
 */
export function trainTwoLayer(cfg: TwoLayerTrainConfig): TwoLayerWeights {
  return preferredTrainer() === 'fused' ? trainTwoLayerFused(cfg) : trainTwoLayerTfjs(cfg);
}

/** trainTwoLayer by tfjs, the reference. */
export function trainTwoLayerTfjs(cfg: TwoLayerTrainConfig): TwoLayerWeights {
  const { d, n } = cfg.shape;
  const rng = Rng.fromSeed(cfg.seed);
  const model = createTwoLayer(cfg.shape, rng.splitNamed('init'), cfg.initScale);
  const data = rng.splitNamed('data');
  const task = nearestTask(cfg.dist, d, n);
  try {
    runAdam({
      steps: cfg.steps,
      adam: { learningRate: cfg.learningRate, ...SEARCH_ADAM },
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

/** Float32 tfjs outputs of the same weights (for the cross-check against the float64 evaluator). */
export function evaluateTwoLayerTf(w: TwoLayerWeights, X: Float64Array, Y: Float64Array, size: number): Float32Array {
  const { d, n } = w.shape;
  const { T, Z } = extend(X, Y, size, d, n);
  const layers: [TrainableAttention, TrainableAttention] = [
    modelFromWeights(w.layers[0]),
    modelFromWeights(w.layers[1]),
  ];
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
