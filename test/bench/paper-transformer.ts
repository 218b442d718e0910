/**
 * The transformer trainings of the benchmarks: the paper's layer (d = 64, N = 16, L = 1, H = 4,
 * MLP 2048, batch 256) and the quick budget's (d = 8, N = 8, H = 1, MLP 32, batch 128).
 */
import type { TrainSpec } from '../../src/experiments/train.js';
import type { TrainerName } from '../../src/training/trainer-state.js';

/** `steps` Adam steps of the paper's layer on the farthest-neighbour task, from seed `seed`, by `trainer`. */
export const paperTransformerSpec = (steps: number, seed = 1, trainer: TrainerName = 'tfjs'): TrainSpec => ({
  task: { kind: 'farthest', d: 64, n: 16, positional: 'none' },
  arch: { layers: 1, heads: 4, copies: 1, mlpWidth: 2048 },
  steps,
  batch: 256,
  learningRate: 0.01,
  seed,
  trainer,
});

/** `steps` Adam steps of the quick budget's full-rank model, from seed `seed`, by `trainer`. */
export const quickTransformerSpec = (steps: number, seed = 1, trainer: TrainerName = 'tfjs'): TrainSpec => ({
  task: { kind: 'farthest', d: 8, n: 8, positional: 'none' },
  arch: { layers: 1, heads: 1, copies: 1, mlpWidth: 32 },
  steps,
  batch: 128,
  learningRate: 0.03,
  seed,
  trainer,
});
