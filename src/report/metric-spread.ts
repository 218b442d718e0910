/**
 * How much each number of a report moves when only the root seed changes, read from a stability
 * file (every check's metrics and margin at every seed). `compare` judges a moved number against
 * this spread: a number that moves more than a change of seed would move it is a regression.
 */
import { studentTQuantile } from '../core/special.js';
import { momentsOf, sampleVariance } from '../core/stats.js';
import type { StabilityFile } from './stability-schema.js';

/** A number's values over the root seeds of a stability run. */
export interface MetricSpread {
  values: number[];
  /** The check ran once for every seed (seed-free): the number cannot depend on the seed. */
  shared: boolean;
}

/**
 * Per-number miss rate of the band a moved number must stay in. Chosen on the committed baselines by
 * judging each seed's numbers against seed 0's with the spread of the others (3553 numbers at quick,
 * 992 at standard): at 1e-6 one number falls outside, a training that failed (dimensions
 * d16_H1_min at quick seed 11); a doubled number is caught in 71% (quick, 20 seeds) and 38%
 * (standard, 5 seeds) of cases, the rest being numbers whose seeds alone move them that much.
 */
export const SPREAD_MISS_RATE = 1e-6;

/** Numbers that no seed moves are exact: they may move by rounding only, 1e-9 of max(1, |value|). */
export const EXACT_ABSOLUTE_TOLERANCE = 1e-9;

const spreadKey = (claim: string, check: string, metric: string) => `${claim}\u0000${check}\u0000${metric}`;

/** The margin of a check is kept under this metric name. */
export const MARGIN_METRIC = '(margin)';

/** Every check metric's (and margin's) values over the seeds of a stability file. */
export class SpreadTable {
  private readonly table = new Map<string, MetricSpread>();

  constructor(file: StabilityFile) {
    for (const r of file.records) {
      if (r.kind !== 'check') continue;
      const entries = Object.entries(r.metrics);
      if (r.margin !== null) entries.push([MARGIN_METRIC, r.margin]);
      for (const [metric, value] of entries) {
        if (value === null) continue;
        const key = spreadKey(r.claim, r.check, metric);
        const s = this.table.get(key) ?? { values: [], shared: r.shared };
        s.values.push(value);
        this.table.set(key, s);
      }
    }
  }

  /** The metric's spread, or null when the stability run never produced it. */
  get(claim: string, check: string, metric: string): MetricSpread | null {
    return this.table.get(spreadKey(claim, check, metric)) ?? null;
  }
}

/** How far a number may move, and by which rule. */
export interface Allowance {
  /** The largest move allowed, in the number's own unit. */
  allowed: number;
  rule: 'exact' | 'seed-spread';
}

/** The move allowed to an exact number: rounding only. */
export function exactAllowance(was: number): number {
  return EXACT_ABSOLUTE_TOLERANCE * Math.max(1, Math.abs(was));
}

/**
 * How far a number whose base value is `was` may move and still be a move a change of root seed
 * could make. The band is centred on `was` (the base report's value, not the stability run's, so a
 * stability file older than the base still serves): the seeds' range, or t_{n−1}(1 − α/2)·s·√2
 * (two independent draws differ by s√2), α = SPREAD_MISS_RATE, whichever is wider. A number every
 * seed gave the same value (or a seed-free check's) is exact. Null when fewer than three seeds
 * measured a number that moves.
 */
export function seedAllowance(spread: MetricSpread, was: number): Allowance | null {
  const v = spread.values;
  const lo = Math.min(...v);
  const hi = Math.max(...v);
  if (spread.shared || hi === lo) return { allowed: exactAllowance(was), rule: 'exact' };
  if (v.length < 3) return null;
  const sd = Math.sqrt(sampleVariance(momentsOf(v)));
  const t = studentTQuantile(1 - SPREAD_MISS_RATE / 2, v.length - 1);
  return { allowed: Math.max(hi - lo, t * sd * Math.SQRT2), rule: 'seed-spread' };
}
