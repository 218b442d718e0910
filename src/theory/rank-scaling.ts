/**
 * The growth laws Theorem 2 states, measured on the computable bound: how the least head count
 * H(d, r, ε) grows with d. The functions take the head count as a parameter so that a deliberately
 * wrong law (a sentinel) can be put through exactly the same fits.
 */
import { runChunksOnCores } from '../core/parallel.js';
import { fitLine, type LineFit } from '../core/regression.js';
import { headsNeeded } from './rank-bound.js';

/** ln of the least head count reaching error ε with rank r in dimension d. */
export type LogHeadsFunction = (d: number, r: number, eps: number) => number;

/** The bound's own law: ln of headsNeeded. */
export const boundLogHeads: LogHeadsFunction = (d, r, eps) => headsNeeded(d, r, eps).log10MinHeads * Math.LN10;

interface LogHeadsGrid {
  /** The (r, d) pair of each chunk, the largest d first, so that two workers finish together. */
  pairs: [number, number][];
  epsList: number[];
}

/** Chunk i of boundLogHeadsOnWorkers: every ε at its (r, d) pair (worker entry: log-heads-worker.ts). */
export function logHeadsChunk(g: LogHeadsGrid, i: number): number[] {
  const [r, d] = g.pairs[i];
  return g.epsList.map((eps) => boundLogHeads(d, r, eps));
}

/**
 * boundLogHeads at every (r, d, ε) of the grid, computed on worker threads, one (r, d) per chunk;
 * returns it as a LogHeadsFunction with the same values bit for bit (each is one headsNeeded).
 * Outside the grid it computes in this thread.
 */
export async function boundLogHeadsOnWorkers(
  ranks: readonly number[],
  ds: readonly number[],
  epsList: readonly number[],
): Promise<LogHeadsFunction> {
  // headsNeeded's cost grows with d.
  const pairs = ranks.flatMap((r) => ds.map((d): [number, number] => [r, d])).sort((a, b) => b[1] - a[1]);
  const grid: LogHeadsGrid = { pairs, epsList: [...epsList] };
  const results = await runChunksOnCores(pairs.length, grid, logHeadsChunk, import.meta.url, 'log-heads-worker');
  const table = new Map<string, number>();
  results.forEach((values, i) => values.forEach((v, k) => table.set(`${pairs[i][0]}|${pairs[i][1]}|${epsList[k]}`, v)));
  return (d, r, eps) => table.get(`${r}|${d}|${eps}`) ?? boundLogHeads(d, r, eps);
}

export interface HighAccuracyScaling {
  eps: number;
  r: number;
  points: { d: number; x: number; lnHeads: number }[];
  /** ln H against x = d − r·ln(d/r): the claimed law H ≥ exp(Ω(d − r log(d/r))). */
  exponential: LineFit;
  /** ln H against ln d: the alternative, polynomial growth. */
  polynomial: LineFit;
}

/** For fixed small ε and rank r, ln H across ds, fitted both ways. */
export function highAccuracyScaling(
  lnHeads: LogHeadsFunction,
  eps: number,
  r: number,
  ds: readonly number[],
): HighAccuracyScaling {
  const points = ds.map((d) => ({ d, x: d - r * Math.log(d / r), lnHeads: lnHeads(d, r, eps) }));
  return {
    eps,
    r,
    points,
    exponential: fitLine(
      points.map((p) => p.x),
      points.map((p) => p.lnHeads),
    ),
    polynomial: fitLine(
      points.map((p) => Math.log(p.d)),
      points.map((p) => p.lnHeads),
    ),
  };
}

export interface HighDimensionalScaling {
  r: number;
  ds: readonly number[];
  /** Per ε: the exponent κ(ε) of H ≈ (d/r)^κ, the slope of ln H against ln(d/r). */
  rows: { eps: number; exponent: number; fit: LineFit; lnHeads: number[] }[];
  /** ln κ against ln(1/ε): the claimed law κ = Ω(1/ε) means a slope of at least 1. */
  exponentLaw: LineFit;
}

/** For each ε, the exponent of d/r in H across (large) ds; then how that exponent grows with 1/ε. */
export function highDimensionalScaling(
  lnHeads: LogHeadsFunction,
  r: number,
  ds: readonly number[],
  epsList: readonly number[],
): HighDimensionalScaling {
  const rows = epsList.map((eps) => {
    const ys = ds.map((d) => lnHeads(d, r, eps));
    const fit = fitLine(
      ds.map((d) => Math.log(d / r)),
      ys,
    );
    return { eps, exponent: fit.slope, fit, lnHeads: ys };
  });
  if (rows.some((row) => !(row.exponent > 0))) {
    // A non-positive exponent has no logarithm; the law is then plainly not supported.
    return {
      r,
      ds,
      rows,
      exponentLaw: { slope: 0, intercept: 0, slopeStdError: 0, r2: 0, residualRms: 0, residuals: [], n: rows.length },
    };
  }
  const exponentLaw = fitLine(
    rows.map((row) => Math.log(1 / row.eps)),
    rows.map((row) => Math.log(row.exponent)),
  );
  return { r, ds, rows, exponentLaw };
}
