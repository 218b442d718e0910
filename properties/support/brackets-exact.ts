/**
 * The statistical check "a sample brackets an exact value": each generated case draws one or more
 * samples, puts a confidence interval for the mean around each, and requires the exact value
 * inside. Every such check reports the same margin (where the exact value sits in its interval) and
 * carries the same 'over-confident-interval' sentinel, the interval narrowed about its centre: a
 * check that cannot catch it would pass a too-narrow interval unseen.
 */
import fc from 'fast-check';
import { defineProperty, type Observer, type PropertySpec } from '../../src/audit/property-check.js';
import { meanInterval, momentsOf } from '../../src/core/stats.js';
import type { Budget } from '../../src/core/vocabulary.js';

/** The sentinel every bracketing check adds to its own. */
export type OverConfidentInterval = 'over-confident-interval';

/** One point of a case: sampled values whose mean estimates `exact`, and the exact value. */
export interface Bracket {
  values: ArrayLike<number>;
  exact: number;
}

/** The CLT interval, or the empirical Bernstein one for values that must lie in [0, range]. */
export type BracketInterval = { method: 'normal' } | { method: 'bernstein'; range: number };

/** What differs between bracketing checks; `Case` is the tuple of values one case is generated as. */
export interface BracketsExactSpec<S extends string, Case extends [unknown, ...unknown[]]> {
  name: string;
  description: string;
  runs: PropertySpec<S>['runs'];
  perCase: string;
  /** Per-case confidence level of the interval, in (0, 1). */
  level: number;
  interval: BracketInterval;
  /** Half-width factor of the 'over-confident-interval' sentinel, in (0, 1) (the caller justifies its size). */
  overConfidentFactor: number;
  /** The check's own sentinels (name → what is broken); 'over-confident-interval' is added after them. */
  sentinels: { readonly [K in S]: string };
  /** The generators of one case, at a budget. */
  cases(budget: Budget): { [K in keyof Case]: fc.Arbitrary<Case[K]> };
  /**
   * The points of one case, drawn in order and lazily: the first point outside its interval ends
   * the case. `sentinel` is one of the check's own (null for the real implementation and for the
   * over-confident interval, which breaks only the interval).
   */
  brackets(sentinel: S | null, ...c: Case): Iterable<Bracket>;
}

/** Margin unit shared by every bracketing check. */
const MARGIN_UNIT =
  'share of the interval’s half-width between the exact value and its nearer end (1: centred, below 0: outside)';

const INTERVAL_NAME = { normal: 'normal', bernstein: 'Bernstein' } as const;

/** Declares a bracketing check: its margin, its 'over-confident-interval' sentinel and its interval test. */
export function bracketsExact<S extends string = never, Case extends [unknown, ...unknown[]] = [unknown]>(
  spec: BracketsExactSpec<S, Case>,
): PropertySpec<S | OverConfidentInterval> {
  const overConfident = `the same ${INTERVAL_NAME[spec.interval.method]} interval with its half-width ×${spec.overConfidentFactor} (same centre)`;
  return defineProperty<S | OverConfidentInterval>({
    name: spec.name,
    kind: 'statistical',
    description: spec.description,
    runs: spec.runs,
    perCase: spec.perCase,
    level: spec.level,
    margin: { observation: 'margin', unit: MARGIN_UNIT },
    sentinels: { ...spec.sentinels, 'over-confident-interval': overConfident },
    property: (sentinel, budget, observe) => {
      const own = sentinel === 'over-confident-interval' ? null : sentinel;
      const factor = sentinel === 'over-confident-interval' ? spec.overConfidentFactor : 1;
      const holds = (...c: Case) => {
        for (const b of spec.brackets(own, ...c))
          if (!bracketHolds(b, spec.level, spec.interval, factor, observe)) return false;
        return true;
      };
      return fc.property(...spec.cases(budget), holds);
    },
  });
}

/**
 * Whether the interval at `level` (half-width × `factor`) around the mean of `b.values` contains
 * `b.exact`; observes the margin, the share of the half-width left between the exact value and the
 * nearer end. A Bernstein interval also needs every value in [0, range], or it is not valid.
 */
export function bracketHolds(
  b: Bracket,
  level: number,
  interval: BracketInterval,
  factor: number,
  observe: Observer,
): boolean {
  const m = momentsOf(b.values);
  const range = interval.method === 'bernstein' ? interval.range : undefined;
  if (range !== undefined && (lowest(b.values) < 0 || m.max > range)) return false;
  const ci = meanInterval(m, level, interval.method, { range, halfWidthFactor: factor });
  observe({ margin: Math.min(b.exact - ci.lo, ci.hi - b.exact) / ((ci.hi - ci.lo) / 2) });
  return ci.lo <= b.exact && b.exact <= ci.hi;
}

/** The smallest value (NaN if any is NaN, as Math.min). */
function lowest(values: ArrayLike<number>): number {
  let lo = Infinity;
  for (let i = 0; i < values.length; i++) lo = Math.min(lo, values[i]);
  return lo;
}
