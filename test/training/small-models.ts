/** Models with their batch streams, for the tests and benchmarks of the training loop. */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../src/core/rng.js';
import { batchLoss } from '../../src/experiments/train.js';
import { outputDim, sampleTask, shapeFor, type ArchSpec, type TaskSpec } from '../../src/experiments/tasks.js';
import { createTransformer, disposeTransformer, initialWeights } from '../../src/experiments/transformer.js';
import { minibatch, nearestTask } from '../../src/search/train.js';
import { createModel, disposeModel, meanSquaredError, type ModelShape } from '../../src/search/trainable-attention.js';
import type { AdamLoop } from '../../src/training/adam-loop.js';

export interface TrainingSetup {
  variables: tf.Variable[];
  batch: AdamLoop['batch'];
  dispose(): void;
}

/** A search model (N = 2, D_2 contexts, nearest target) initialised from `seed`, batches from seed + 1. */
export function searchSetup(shape: ModelShape, batch: number, seed: number): TrainingSetup {
  const model = createModel(shape, Rng.fromSeed(seed), 1);
  const task = nearestTask('ortho', shape.d, shape.n);
  const data = Rng.fromSeed(seed + 1);
  return {
    variables: model.variables,
    batch: (step) => {
      const b = minibatch(data.split(step), task, shape.d, shape.n, batch);
      return { tensors: [b.Y, b.X, b.T], loss: () => meanSquaredError(model, b.Y, b.X, b.T) };
    },
    dispose: () => disposeModel(model),
  };
}

/** A Section-7 transformer initialised from `seed`, batches from seed + 1. */
export function transformerSetup(task: TaskSpec, arch: ArchSpec, batch: number, seed: number): TrainingSetup {
  const model = createTransformer(initialWeights(shapeFor(task, arch), Rng.fromSeed(seed)));
  const data = Rng.fromSeed(seed + 1);
  return {
    variables: model.variables,
    batch: (step) => {
      const b = sampleTask(task, data.split(step), batch);
      const tokens = tf.tensor2d(Float32Array.from(b.tokens), [batch * task.n, b.tokens.length / (batch * task.n)]);
      const p = outputDim(task);
      const targets = tf.tensor2d(Float32Array.from(b.targets), [b.targets.length / p, p]);
      return { tensors: [tokens, targets], loss: () => batchLoss(model, task, tokens, targets, batch) };
    },
    dispose: () => disposeTransformer(model),
  };
}
