/** How hard a search tries at each budget: restarts, training steps, batch, and scoring samples. */
import type { Budget } from '../core/vocabulary.js';

export interface SearchBudget {
  restarts: number;
  steps: number;
  batch: number;
  evalSamples: number;
}

export const SEARCH_BUDGETS: Record<Budget, SearchBudget> = {
  quick: { restarts: 2, steps: 1000, batch: 512, evalSamples: 40_000 },
  standard: { restarts: 4, steps: 2000, batch: 1024, evalSamples: 200_000 },
  // The calibration runs of the digest: 3000 Adam steps on 2048 fresh samples each.
  paper: { restarts: 8, steps: 3000, batch: 2048, evalSamples: 1_000_000 },
};

/** Level of each trained model's interval: a correct bound is "violated" by chance with probability ≤ 1e-6 per model. */
export const SEARCH_LEVEL = 1 - 1e-6;
