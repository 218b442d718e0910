/**
 * The curves of the paper's appendix figure: exact D_2 error of H random rank-1 hardmax heads
 * against H, with LB(d, 1, H), shared by the random-features and Theorem-2 claims (memoised per
 * setting, since the largest settings take minutes).
 */
import { getOrCompute } from '../core/memo.js';
import { Rng } from '../core/rng.js';
import { prefixHeads } from '../theory/arcsin-kernel.js';
import { rankLowerBound } from '../theory/rank-bound.js';
import { constructionError, randomRank1Heads, type HeadDistribution } from '../theory/rank1-construction.js';

export interface Rank1FigureRow {
  d: number;
  heads: number;
  trial: number;
  /** Exact D_2 error of the optimally weighted random heads, 1 − bᵀC⁻¹b. */
  error: number;
  /** LB(d, 1, H) on the same axes. */
  lowerBound: number;
}

export interface Rank1FigureOptions {
  ds: readonly number[];
  maxHeads: number;
  trials: number;
  seed: number;
  distribution: HeadDistribution;
  /** Called after each (d, trial) with the rows so far, e.g. to save them. */
  onRows?: (rows: Rank1FigureRow[]) => void;
}

/** Head counts 1, 2, 4, …, maxHeads (maxHeads itself included). */
export function headGrid(maxHeads: number): number[] {
  const grid: number[] = [];
  for (let h = 1; h < maxHeads; h *= 2) grid.push(h);
  grid.push(maxHeads);
  return grid;
}

/**
 * The paper's appendix figure as data: exact error of H random rank-1 hardmax heads against H,
 * per d and trial. Within a trial the heads for H are the first H of one draw of maxHeads, so a
 * curve is the same heads being added one at a time.
 */
export function rank1Figure(o: Rank1FigureOptions): Rank1FigureRow[] {
  const rows: Rank1FigureRow[] = [];
  const grid = headGrid(o.maxHeads);
  const root = Rng.fromSeed(o.seed);
  for (const d of o.ds) {
    for (let trial = 0; trial < o.trials; trial++) {
      const all = randomRank1Heads(root.split(d).split(trial), d, o.maxHeads, o.distribution);
      for (const H of grid) {
        // Above 8192 heads the stored kernel (4H² bytes, 1 GiB at 16384) is ~12× faster than recomputing it.
        const { error } = constructionError(prefixHeads(all, H), H > 8192 ? { operator: 'packed' } : {});
        rows.push({ d, heads: H, trial, error, lowerBound: rankLowerBound(d, 1, Math.log10(H)).value });
      }
      o.onRows?.(rows);
    }
  }
  return rows;
}

const memo = new Map<string, Rank1FigureRow[]>();

/** rank1Figure, computed once per setting in this process. */
export function rank1Curves(o: Omit<Rank1FigureOptions, 'onRows'>): Rank1FigureRow[] {
  return getOrCompute(memo, JSON.stringify([o.ds, o.maxHeads, o.trials, o.seed, o.distribution]), () => rank1Figure(o));
}

/** Axes of every "error against the number of heads" figure. */
export const HEADS_AXES = { xLabel: 'heads H', yLabel: 'D_2 mean squared error', xScale: 'log', yScale: 'linear' } as const;

/** The curve LB(d, 1, H) over a head grid, as a figure series. */
export function boundLine(d: number, grid: number[], group?: string) {
  return { name: `LB(${d}, 1, H)`, group, style: 'line' as const, points: grid.map((H) => ({ x: H, y: rankLowerBound(d, 1, Math.log10(H)).value })) };
}
