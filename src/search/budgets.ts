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
  // Three restarts of 2000 steps: the best of them lands within a few per cent of the bound where it
  // is nearly tight (the quick audit's two of 1000 reach 1.2%), and twice the quick work per
  // restart keeps the standard audit within its time.
  standard: { restarts: 3, steps: 2000, batch: 512, evalSamples: 200_000 },
  // The calibration runs of the digest: 3000 Adam steps on 2048 fresh samples each.
  paper: { restarts: 8, steps: 3000, batch: 2048, evalSamples: 1_000_000 },
};

/** Level of each trained model's interval: a correct bound is "violated" by chance with probability ≤ 1e-6 per model. */
export const SEARCH_LEVEL = 1 - 1e-6;
