/**
 * Training recipes and problem sizes of the experiment claims per budget (no tfjs). `paper` is the
 * paper's configuration (d = 64, N = 16, MLP width 2048, batch 256, 100 000 steps, lr 0.01, 5 seeds);
 * `standard` the same small problem as quick trained twice as long, at five seeds: at 600 steps
 * the seed-to-seed spread of every one-layer setting we measured is below 0.01 (full rank at
 * d = 8, N = 8: 0.064 ± 0.003 over 6 seeds, against 0.129 ± 0.023 at quick's 300 steps), so
 * standard's comparisons are separated by tens of spreads; `quick` the smallest setting whose
 * comparisons still separate by many spreads at four seeds (proofs-notes/experiments.md). Both
 * train at peak rate 0.03: with 300 steps the paper's 0.01 leaves the full-rank model half-trained
 * (MSE 0.48 instead of 0.12).
 */
import type { Budget } from '../../src/core/vocabulary.js';
import type { Recipe } from '../../src/experiments/settings.js';

export const RECIPES: Record<Budget, Recipe> = {
  quick: { steps: 300, batch: 128, learningRate: 0.03, evalSamples: 1000 },
  standard: { steps: 600, batch: 128, learningRate: 0.03, evalSamples: 2000 },
  paper: { steps: 100_000, batch: 256, learningRate: 0.01, evalSamples: 4096 },
};

/** Training seeds per setting: every experiment verdict is an interval over them. */
export const SEEDS: Record<Budget, number> = { quick: 4, standard: 5, paper: 5 };

/** The farthest-neighbour problem per budget: dimension d, context length N, MLP width. */
export const SCALE: Record<Budget, { d: number; n: number; mlpWidth: number }> = {
  quick: { d: 8, n: 8, mlpWidth: 32 },
  standard: { d: 8, n: 8, mlpWidth: 32 },
  paper: { d: 64, n: 16, mlpWidth: 2048 },
};

/** Heads H = d/r for every rank r = d, d/2, …, 1 (full rank first). */
export function headCounts(d: number): number[] {
  const out: number[] = [];
  for (let h = 1; h <= d; h *= 2) if (d % h === 0) out.push(h);
  return out;
}
