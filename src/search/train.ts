/**
 * Training a low-rank attention layer on the nearest-neighbour target with Adam: fresh minibatches
 * every step (drawn by the project's own samplers, so D_N is exactly Haar), linear warm-up over
 * the first 5% of steps, then cosine decay to a tenth of the peak rate. `train` runs the preferred
 * trainer; this module holds tfjs's, the reference (the fused one: train-fused.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../core/rng.js';
import { runAdam, type AdamLoop } from '../training/adam-loop.js';
import { preferredTrainer } from '../training/trainer-state.js';
import { trainFused } from './train-fused.js';
import {
  nearestTask,
  SEARCH_ADAM,
  targetPoints,
  type TrainConfig,
  type TrainingTask,
  type TrainResult,
} from './train-config.js';
import {
  createModel,
  disposeModel,
  exportWeights,
  meanSquaredError,
  modelFromWeights,
  type TrainableAttention,
} from './trainable-attention.js';

export { nearestTask, targetPoints, type TrainConfig, type TrainingTask, type TrainResult } from './train-config.js';

/** A minibatch as float32 tensors: queries, contexts and target points. */
export function minibatch(
  rng: Rng,
  task: TrainingTask,
  d: number,
  n: number,
  size: number,
): { Y: tf.Tensor2D; X: tf.Tensor3D; T: tf.Tensor2D } {
  const b = task.sample(rng, size);
  return {
    Y: tf.tensor2d(Float32Array.from(b.Y), [size, d]),
    X: tf.tensor3d(Float32Array.from(b.X), [size, n, d]),
    T: tf.tensor2d(targetPoints(b.X, b.target, size, n, d), [size, d]),
  };
}

/** The model `cfg` trains and its Adam loop (the caller disposes the model). */
export function trainingLoop(cfg: TrainConfig): { model: TrainableAttention; loop: AdamLoop } {
  const rng = Rng.fromSeed(cfg.seed);
  const model = cfg.start ? modelFromWeights(cfg.start) : createModel(cfg.shape, rng.splitNamed('init'), cfg.initScale);
  const data = rng.splitNamed('data');
  const task = cfg.task ?? nearestTask(cfg.dist, cfg.shape.d, cfg.shape.n);
  return {
    model,
    loop: {
      steps: cfg.steps,
      adam: { learningRate: cfg.learningRate, ...SEARCH_ADAM },
      variables: model.variables,
      batch: (step) => {
        const b = minibatch(data.split(step), task, cfg.shape.d, cfg.shape.n, cfg.batch);
        return { tensors: [b.Y, b.X, b.T], loss: () => meanSquaredError(model, b.Y, b.X, b.T) };
      },
    },
  };
}

/**
 * Trains one model from scratch or from `start` with the preferred trainer (trainer-state.ts):
 * deterministic for a given config on any machine with the fused trainer, on a given backend with tfjs.
 */
export function train(cfg: TrainConfig): TrainResult {
  return preferredTrainer() === 'fused' ? trainFused(cfg) : trainTfjs(cfg);
}

/** train() by tfjs, the reference. */
export function trainTfjs(cfg: TrainConfig): TrainResult {
  const t0 = performance.now();
  const { model, loop } = trainingLoop(cfg);
  try {
    const { finalLoss } = runAdam(loop);
    return { weights: exportWeights(model), finalLoss, steps: cfg.steps, milliseconds: performance.now() - t0 };
  } finally {
    disposeModel(model);
  }
}
