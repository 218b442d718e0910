/** What a training of a Section-7 transformer is given and returns, whichever trainer runs it (no tfjs here). */
import { Rng } from '../core/rng.js';
import type { TrainerName } from '../training/trainer-state.js';
import type { ArchSpec, TaskSpec } from './tasks.js';
import type { TransformerWeights } from './weights.js';

export interface TrainSpec {
  task: TaskSpec;
  arch: ArchSpec;
  steps: number;
  batch: number;
  /** Peak learning rate (the paper: 0.01). */
  learningRate: number;
  seed: number;
  /** How `seed` seeds the run (default 'independent'); see Seeding. */
  seeding?: Seeding;
  /** Who computes the steps (default 'tfjs', the reference; 'fused': train-fused.ts). */
  trainer?: TrainerName;
}

/**
 * 'independent': each seed draws its own initialisation and its own data stream (this suite's
 * default). 'paper': as the released training code does — every run of a sweep starts from one
 * initialisation (Lightning's default seed, PAPER_INIT_SEED) and `seed` is the data seed; the
 * loader's PAPER_DATA_WORKERS workers serve batches in turn, worker w from its own stream seeded
 * seed + w, so data seeds s and s + 1 share six of their seven streams.
 */
export const SEEDINGS = ['independent', 'paper'] as const;
export type Seeding = (typeof SEEDINGS)[number];
export const PAPER_INIT_SEED = 613;
export const PAPER_DATA_WORKERS = 7;

export interface TrainOutcome {
  weights: TransformerWeights;
  /** Training loss averaged over the last 5% of steps. */
  finalLoss: number;
  milliseconds: number;
}

/** The paper's AdamW betas with weight decay 0, i.e. Adam; ε as in tfjs and PyTorch. */
export const ADAM_BETA1 = 0.9;
export const ADAM_BETA2 = 0.95;
export const ADAM_EPSILON = 1e-8;
/** The three together, as both trainers' Adam takes them. */
export const ADAM_MOMENTS = { beta1: ADAM_BETA1, beta2: ADAM_BETA2, epsilon: ADAM_EPSILON };

/** The generator of each step's batch, and the generator of the initialisation, as the spec's seeding says. */
export function seededStreams(spec: TrainSpec): { init: Rng; batchRng: (step: number) => Rng } {
  if (spec.seeding === 'paper') {
    // Batch t comes from loader worker t mod W, as that worker's ⌊t / W⌋-th batch.
    const streams = Array.from({ length: PAPER_DATA_WORKERS }, (_, w) =>
      Rng.fromSeed(spec.seed + w).splitNamed('data'),
    );
    return {
      init: Rng.fromSeed(PAPER_INIT_SEED).splitNamed('init'),
      batchRng: (step) => streams[step % PAPER_DATA_WORKERS].split(Math.floor(step / PAPER_DATA_WORKERS)),
    };
  }
  const rng = Rng.fromSeed(spec.seed);
  const data = rng.splitNamed('data');
  return { init: rng.splitNamed('init'), batchRng: (step) => data.split(step) };
}
