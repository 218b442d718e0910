/**
 * The paper's appendix figure as data: the exact D_2 error of H random rank-1 hardmax heads with
 * optimal output weights against H, beside LB(d, 1, H).
 */
import { runChunksOnCores } from '../core/parallel.js';
import { Rng } from '../core/rng.js';
import { prefixHeads } from './arcsin-kernel.js';
import { rankLowerBound } from './rank-bound.js';
import { randomRank1Heads, type HeadDistribution } from './head-distributions.js';
import { constructionError } from './rank1-construction.js';

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

/** The generator of the heads of one (d, trial) curve of the figure drawn from `seed`. */
export function figureTrialRng(seed: number, d: number, trial: number): Rng {
  return Rng.fromSeed(seed).split(d).split(trial);
}

/**
 * Exact error of H random rank-1 hardmax heads against H, per d and trial. Within a trial the
 * heads for H are the first H of one draw of maxHeads, so a curve is the same heads being added
 * one at a time.
 */
export function rank1Figure(o: Rank1FigureOptions): Rank1FigureRow[] {
  const rows: Rank1FigureRow[] = [];
  for (const d of o.ds) {
    for (let trial = 0; trial < o.trials; trial++) {
      rows.push(...figureCurve(o, d, trial));
      o.onRows?.(rows);
    }
  }
  return rows;
}

/** The rows of one (d, trial) curve: they depend on nothing else. */
function figureCurve(o: Omit<Rank1FigureOptions, 'onRows'>, d: number, trial: number): Rank1FigureRow[] {
  const all = randomRank1Heads(figureTrialRng(o.seed, d, trial), d, o.maxHeads, o.distribution);
  return headGrid(o.maxHeads).map((H) => {
    // Above 8192 heads the stored kernel (4H² bytes, 1 GiB at 16384) is ~12× faster than recomputing it.
    const { error } = constructionError(prefixHeads(all, H), H > 8192 ? { operator: 'packed' } : {});
    return { d, heads: H, trial, error, lowerBound: rankLowerBound(d, 1, Math.log10(H)).value };
  });
}

/** Chunk i of rank1FigureOnWorkers: curve i in (d, trial) order (worker entry: rank1-figure-worker.ts). */
export function figureCurveChunk(o: Omit<Rank1FigureOptions, 'onRows'>, i: number): Rank1FigureRow[] {
  return figureCurve(o, o.ds[Math.floor(i / o.trials)], i % o.trials);
}

/** rank1Figure with its (d, trial) curves on worker threads: the same rows, bit for bit and in the same order. */
export async function rank1FigureOnWorkers(o: Omit<Rank1FigureOptions, 'onRows'>): Promise<Rank1FigureRow[]> {
  const plain = { ds: [...o.ds], maxHeads: o.maxHeads, trials: o.trials, seed: o.seed, distribution: o.distribution };
  const curves = await runChunksOnCores(
    o.ds.length * o.trials,
    plain,
    figureCurveChunk,
    import.meta.url,
    'rank1-figure-worker',
  );
  return curves.flat();
}
