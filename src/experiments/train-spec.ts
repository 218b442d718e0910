/** What a training of a Section-7 transformer is given and returns, whichever trainer runs it (no tfjs here). */
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
}

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
