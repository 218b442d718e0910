/**
 * Reach declarations shared by the claims: the rows of an experiment grid (what a budget trains,
 * read from the grid itself, beside the paper's setting) and a metric that exists at some budgets.
 */
import type { Budget, Nearness, ReachRow } from '../../src/core/vocabulary.js';
import type { Setting } from '../../src/experiments/settings.js';

/** The paper's experiment setting in words, one entry per row of the table. */
export interface PaperExperiment {
  d: string;
  n: string;
  layers: string;
  heads: string;
  copies: string;
  steps: string;
  seeds: string;
}

/** The paper's training in Section 7: 1000–2000 epochs of 100 batches of 256, five seeds, the best reported. */
export const PAPER_TRAINING = {
  steps: '100 000–200 000 × batch 256 (1000–2000 epochs of 100 batches)',
  seeds: '5, the best run reported',
} as const;

const distinct = (xs: readonly number[]) => [...new Set(xs)].sort((a, b) => a - b).join(', ');

/** Rows d, N, layers, heads, copies, steps, seeds: the paper's beside what `grid(budget)` trains (null where it trains nothing). */
export function experimentRows(grid: (b: Budget) => readonly Setting[], paper: PaperExperiment): ReachRow[] {
  const at =
    (f: (s: readonly Setting[]) => string) =>
    (b: Budget): string | null => {
      const g = grid(b);
      return g.length === 0 ? null : f(g);
    };
  return [
    { quantity: 'd', paper: paper.d, tested: at((g) => distinct(g.map((s) => ('d' in s.task ? s.task.d : s.task.p)))) },
    { quantity: 'N', paper: paper.n, tested: at((g) => distinct(g.map((s) => s.task.n))) },
    { quantity: 'layers', paper: paper.layers, tested: at((g) => distinct(g.map((s) => s.arch.layers))) },
    { quantity: 'heads', paper: paper.heads, tested: at((g) => distinct(g.map((s) => s.arch.heads))) },
    { quantity: 'copies c', paper: paper.copies, tested: at((g) => distinct(g.map((s) => s.arch.copies))) },
    {
      quantity: 'training',
      paper: paper.steps,
      tested: at((g) => [...new Set(g.map((s) => `${s.recipe.steps} × batch ${s.recipe.batch}`))].join('; ')),
    },
    {
      quantity: 'seeds',
      paper: paper.seeds,
      tested: at((g) => `${distinct(g.map((s) => s.seeds))}, mean and interval`),
    },
  ];
}

/** Our metric at the budgets where it exists, with the nearness of its setting there. */
export function metricAt(
  metric: (b: Budget) => string | null,
  setting: (b: Budget) => Nearness,
  transform?: (x: number) => number,
): (b: Budget) => { metric: string; setting: Nearness; transform?: (x: number) => number } | null {
  return (b) => {
    const m = metric(b);
    return m === null ? null : { metric: m, setting: setting(b), ...(transform ? { transform } : {}) };
  };
}

/** 'same setting' at paper, 'scaled down' below it. */
export const sameAtPaper = (b: Budget): Nearness => (b === 'paper' ? 'same setting' : 'scaled down');
