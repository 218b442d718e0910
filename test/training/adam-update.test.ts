import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { batchLoss } from '../../src/experiments/train.js';
import { outputDim, sampleTask, shapeFor, type ArchSpec, type TaskSpec } from '../../src/experiments/tasks.js';
import { createTransformer, disposeTransformer, initialWeights } from '../../src/experiments/transformer.js';
import { minibatch, nearestTask } from '../../src/search/train.js';
import { createModel, disposeModel, meanSquaredError } from '../../src/search/trainable-attention.js';
import { runAdam, type AdamLoop } from '../../src/training/adam-loop.js';
import { useBackend } from '../../src/training/backend.js';

/** The variables' float32 values, as bytes, after training `steps` steps with `update`. */
function trainedBytes(
  make: () => { variables: tf.Variable[]; batch: AdamLoop['batch']; dispose(): void },
  update: 'typed-array' | 'tfjs',
  adam: AdamLoop['adam'],
  steps: number,
): { bytes: Uint8Array[]; finalLoss: number } {
  const m = make();
  try {
    const { finalLoss } = runAdam({ steps, adam, variables: m.variables, batch: m.batch, update });
    return { bytes: m.variables.map((v) => new Uint8Array((v.dataSync() as Float32Array).slice().buffer)), finalLoss };
  } finally {
    m.dispose();
  }
}

function searchModel() {
  const shape = { d: 8, r: 2, heads: 4, n: 2, variant: 'bias' as const };
  const model = createModel(shape, Rng.fromSeed(3), 1);
  const task = nearestTask('ortho', 8, 2);
  const data = Rng.fromSeed(4);
  return {
    variables: model.variables,
    batch: (step: number) => {
      const b = minibatch(data.split(step), task, 8, 2, 64);
      return { tensors: [b.Y, b.X, b.T], loss: () => meanSquaredError(model, b.Y, b.X, b.T) };
    },
    dispose: () => disposeModel(model),
  };
}

function transformer() {
  const task: TaskSpec = { kind: 'farthest', d: 8, n: 8, positional: 'none' };
  const arch: ArchSpec = { layers: 1, heads: 2, copies: 1, mlpWidth: 16 };
  const model = createTransformer(initialWeights(shapeFor(task, arch), Rng.fromSeed(5)));
  const data = Rng.fromSeed(6);
  return {
    variables: model.variables,
    batch: (step: number) => {
      const b = sampleTask(task, data.split(step), 32);
      const tokens = tf.tensor2d(Float32Array.from(b.tokens), [32 * task.n, b.tokens.length / (32 * task.n)]);
      const p = outputDim(task);
      const targets = tf.tensor2d(Float32Array.from(b.targets), [b.targets.length / p, p]);
      return { tensors: [tokens, targets], loss: () => batchLoss(model, task, tokens, targets, 32) };
    },
    dispose: () => disposeTransformer(model),
  };
}

describe('Adam on typed arrays', () => {
  beforeAll(async () => {
    await useBackend();
  });

  // 60 steps: the warm-up, the decay and the bias correction all move; one differing bit anywhere
  // would grow, so byte equality of every variable is the whole claim.
  it.each([
    ['a search model', searchModel, { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }],
    ['a Section-7 transformer', transformer, { learningRate: 0.03, beta1: 0.9, beta2: 0.95, epsilon: 1e-8 }],
  ] as const)('trains %s to the same bits as tfjs’s AdamOptimizer', (_name, make, adam) => {
    const fast = trainedBytes(make, 'typed-array', adam, 60);
    const reference = trainedBytes(make, 'tfjs', adam, 60);
    expect(fast.bytes).toEqual(reference.bytes);
    expect(fast.finalLoss).toBe(reference.finalLoss);
  });

  it('is not vacuous: a different rate gives different bits', () => {
    const adam = { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
    const a = trainedBytes(searchModel, 'typed-array', adam, 10);
    const b = trainedBytes(searchModel, 'tfjs', { ...adam, learningRate: 0.0100001 }, 10);
    expect(a.bytes).not.toEqual(b.bytes);
  });
});
