import { beforeAll, describe, expect, it } from 'vitest';
import { transformerLoop } from '../../src/experiments/train.js';
import { disposeTransformer } from '../../src/experiments/transformer.js';
import { trainingLoop } from '../../src/search/train.js';
import { disposeModel } from '../../src/search/trainable-attention.js';
import { runAdam, type AdamLoop } from '../../src/training/adam-loop.js';
import { useBackend } from '../../src/training/backend.js';

type Trainable = () => { model: { variables: AdamLoop['variables'] }; loop: AdamLoop; dispose(): void };

/** The variables' float32 values, as bytes, after running the loop with `update`. */
function trainedBytes(make: Trainable, update: 'typed-array' | 'tfjs'): { bytes: Uint8Array[]; finalLoss: number } {
  const { model, loop, dispose } = make();
  try {
    const { finalLoss } = runAdam({ ...loop, update });
    return {
      bytes: model.variables.map((v) => new Uint8Array((v.dataSync() as Float32Array).slice().buffer)),
      finalLoss,
    };
  } finally {
    dispose();
  }
}

// 60 steps: the warm-up, the decay and the bias correction all move; one differing bit anywhere
// would grow, so byte equality of every variable is the whole claim.
const searchModel = (learningRate = 0.01) => {
  const r = trainingLoop({
    shape: { d: 8, r: 2, heads: 4, n: 2, variant: 'bias' },
    dist: 'ortho',
    steps: 60,
    batch: 64,
    learningRate,
    initScale: 1,
    seed: 3,
  });
  return { ...r, dispose: () => disposeModel(r.model) };
};
const transformer = () => {
  const r = transformerLoop({
    task: { kind: 'farthest', d: 8, n: 8, positional: 'none' },
    arch: { layers: 1, heads: 2, copies: 1, mlpWidth: 16 },
    steps: 60,
    batch: 32,
    learningRate: 0.03,
    seed: 5,
  });
  return { ...r, dispose: () => disposeTransformer(r.model) };
};

describe('Adam on typed arrays', () => {
  beforeAll(async () => {
    await useBackend();
  });

  it.each([
    ['a search model', () => searchModel()],
    ['a Section-7 transformer', transformer],
  ] as const)('trains %s to the same bits as tfjs’s AdamOptimizer', (_name, make) => {
    const fast = trainedBytes(make, 'typed-array');
    const reference = trainedBytes(make, 'tfjs');
    expect(fast.bytes).toEqual(reference.bytes);
    expect(fast.finalLoss).toBe(reference.finalLoss);
  });

  it('is not vacuous: a different rate gives different bits', () => {
    const a = trainedBytes(() => searchModel(0.01), 'typed-array');
    const b = trainedBytes(() => searchModel(0.0100001), 'tfjs');
    expect(a.bytes).not.toEqual(b.bytes);
  });
});
