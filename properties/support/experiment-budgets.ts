/**
 * Training recipes and problem sizes of the experiment claims per budget (no tfjs). `paper` is the
 * paper's configuration (d = 64, N = 16, MLP width 2048, batch 256, 100 000 steps, lr 0.01, 5 seeds);
 * `standard` a reduced grid that runs in minutes per claim on two cores; `quick` the smallest
 * setting that still separates (measured on tfjs-wasm: see proofs-notes/experiments.md). quick
 * trains at peak rate 0.03 instead of 0.01: with 300 steps the lower rate leaves the full-rank
 * model half-trained (MSE 0.48 instead of 0.12 at d = 8, N = 8).
 */
import type { Budget } from '../../src/core/vocabulary.js';
import type { Recipe } from '../../src/experiments/settings.js';

export const RECIPES: Record<Budget, Recipe> = {
  quick: { steps: 300, batch: 128, learningRate: 0.03, evalSamples: 1000 },
  standard: { steps: 1000, batch: 256, learningRate: 0.01, evalSamples: 2000 },
  paper: { steps: 100_000, batch: 256, learningRate: 0.01, evalSamples: 4096 },
};

/** Training seeds per setting. */
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
