/**
 * The curves of the paper's appendix figure shared by the random-features and Theorem-2 claims
 * (memoised per setting within a run, since the largest settings take minutes), and the axes and
 * bound line of every "error against the number of heads" figure.
 */
import { getOrCompute } from '../../src/core/memo.js';
import { runScopedCache } from '../../src/core/run-cache.js';
import type { FigureSeries } from '../../src/core/vocabulary.js';
import { rankLowerBound } from '../../src/theory/rank-bound.js';
import { rank1FigureOnWorkers, type Rank1FigureOptions, type Rank1FigureRow } from '../../src/theory/rank1-figure.js';

// The promise is kept, so that every check, sentinel and figure of a run shares one computation.
const memo = runScopedCache<string, Promise<Rank1FigureRow[]>>();

/** rank1Figure (its curves on worker threads), computed once per setting in a run. */
export function rank1Curves(o: Omit<Rank1FigureOptions, 'onRows'>): Promise<Rank1FigureRow[]> {
  return getOrCompute(memo, JSON.stringify([o.ds, o.maxHeads, o.trials, o.seed, o.distribution]), () =>
    rank1FigureOnWorkers(o),
  );
}

/** Axes of every "error against the number of heads" figure. */
export const HEADS_AXES = {
  xLabel: 'heads H',
  yLabel: 'D_2 mean squared error',
  xScale: 'log',
  yScale: 'linear',
} as const;

/** The curve LB(d, 1, H) over a head grid, as a figure series. */
export function boundLine(d: number, grid: number[], group?: string): FigureSeries {
  return {
    name: `LB(${d}, 1, H)`,
    group,
    style: 'line',
    points: grid.map((H) => ({ x: H, y: rankLowerBound(d, 1, Math.log10(H)).value })),
  };
}
