/**
 * What a search training is, whichever trainer runs it: its task, its settings, its result, and
 * Adam's moments.
 */
import type { Rng } from '../core/rng.js';
import { sampleContexts, type ContextDistribution } from '../core/sphere.js';
import { nearestNeighbourIndex } from '../model/targets.js';
import type { ExportedWeights, ModelShape } from './attention-weights.js';

/** Adam's moments in every search training (the learning rate follows the schedule). */
export const SEARCH_ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

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
