/**
 * Training a low-rank attention layer on the nearest-neighbour target with Adam: fresh minibatches
 * every step (drawn by the project's own samplers, so D_N is exactly Haar), linear warm-up over
 * the first 5% of steps, then cosine decay to a tenth of the peak rate.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../core/rng.js';
import { sampleContexts, type ContextDistribution } from '../core/sphere.js';
import { nearestNeighbourIndex } from '../model/targets.js';
import { runAdam, type AdamLoop } from '../training/adam-loop.js';
import {
  createModel,
  disposeModel,
  exportWeights,
  meanSquaredError,
  modelFromWeights,
  type ExportedWeights,
  type ModelShape,
  type TrainableAttention,
} from './trainable-attention.js';

/** What the model learns: fresh samples (X: size×N×d, Y: size×d) and the index of each target point. */
export interface TrainingTask {
  sample(rng: Rng, size: number): { X: Float64Array; Y: Float64Array; target: Int32Array };
}

export interface TrainConfig {
  shape: ModelShape;
  /** The task; default nearest neighbour with y uniform and contexts from `dist`. */
  task?: TrainingTask;
  dist: ContextDistribution;
  steps: number;
  batch: number;
  /** Peak learning rate. */
  learningRate: number;
  /** Standard deviation of the initial Q, K entries, in units of 1/√d. */
  initScale: number;
  seed: number;
  /** Start from these weights instead of a random initialisation (their shape must be `shape`). */
  start?: ExportedWeights;
}

export interface TrainResult {
  weights: ExportedWeights;
  /** Training loss (batch mean squared error) averaged over the last 5% of steps. */
  finalLoss: number;
  steps: number;
  milliseconds: number;
}

/** The nearest-neighbour task with y uniform and contexts from `dist`. */
export function nearestTask(dist: ContextDistribution, d: number, n: number): TrainingTask {
  return {
    sample(rng, size) {
      const b = sampleContexts(rng, dist, { d, n, size });
      return { X: b.X, Y: b.Y, target: nearestNeighbourIndex(b.X, b.Y, { size, n, d }) };
    },
  };
}

/** The target point of each sample (size×d, float32): x_{idx[s]} of contexts X (size×n×d). */
export function targetPoints(X: Float64Array, idx: Int32Array, size: number, n: number, d: number): Float32Array {
  const target = new Float32Array(size * d);
  for (let s = 0; s < size; s++) target.set(X.subarray((s * n + idx[s]) * d, (s * n + idx[s] + 1) * d), s * d);
  return target;
}

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
      adam: { learningRate: cfg.learningRate, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
      variables: model.variables,
      batch: (step) => {
        const b = minibatch(data.split(step), task, cfg.shape.d, cfg.shape.n, cfg.batch);
        return { tensors: [b.Y, b.X, b.T], loss: () => meanSquaredError(model, b.Y, b.X, b.T) };
      },
    },
  };
}

/** Trains one model from scratch or from `start`; deterministic for a given config on a given backend. */
export function train(cfg: TrainConfig): TrainResult {
  const t0 = performance.now();
  const { model, loop } = trainingLoop(cfg);
  try {
    const { finalLoss } = runAdam(loop);
    return { weights: exportWeights(model), finalLoss, steps: cfg.steps, milliseconds: performance.now() - t0 };
  } finally {
    disposeModel(model);
  }
}
