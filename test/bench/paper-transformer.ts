/** The paper-sized transformer training of the benchmarks: d = 64, N = 16, L = 1, H = 4, MLP 2048, batch 256. */
import type { TrainSpec } from '../../src/experiments/train.js';

/** `steps` Adam steps of the paper's layer on the farthest-neighbour task, from seed `seed`. */
export const paperTransformerSpec = (steps: number, seed = 1): TrainSpec => ({
  task: { kind: 'farthest', d: 64, n: 16, positional: 'none' },
  arch: { layers: 1, heads: 4, copies: 1, mlpWidth: 2048 },
  steps,
  batch: 256,
  learningRate: 0.01,
  seed,
});
