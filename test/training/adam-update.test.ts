import { beforeAll, describe, expect, it } from 'vitest';
import { runAdam, type AdamLoop } from '../../src/training/adam-loop.js';
import { useBackend } from '../../src/training/backend.js';
import { searchSetup, transformerSetup, type TrainingSetup } from './small-models.js';

/** The variables' float32 values, as bytes, after training `steps` steps with `update`. */
function trainedBytes(
  make: () => TrainingSetup,
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

const searchModel = () => searchSetup({ d: 8, r: 2, heads: 4, n: 2, variant: 'bias' }, 64, 3);
const transformer = () =>
  transformerSetup(
    { kind: 'farthest', d: 8, n: 8, positional: 'none' },
    { layers: 1, heads: 2, copies: 1, mlpWidth: 16 },
    32,
    5,
  );

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
