/** Conjecture 6's unit of evidence: an error measured at context length N, with its interval, and how it is printed. */
import { fixed, interval, text, type Template } from '../../src/core/format.js';
import { meanInterval, momentsOf } from '../../src/core/stats.js';

/** A measured error with its interval. */
export interface Measured {
  n: number;
  error: number;
  ci: [number, number];
}

/** Level of every interval over samples (and of the trained models' evaluations). */
export const LEVEL = 0.999;

/** The mean of `errors` (squared errors, ≥ 0) at context length `n`, with its normal interval at LEVEL clipped at 0. */
export function measured(n: number, errors: Float64Array): Measured {
  const m = momentsOf(errors);
  const ci = meanInterval(m, LEVEL, 'normal', { lowerLimit: 0 });
  return { n, error: m.mean, ci: [ci.lo, ci.hi] };
}

/** An error to three decimals, as every summary of the claim prints it. */
export const f3 = (x: number | null) => fixed(x, 3);

/** A series as "N=2: 0.123 [0.120, 0.126] …". */
export const describe = (s: readonly Measured[]): Template =>
  text`${s.map((m) => text`N=${m.n}: ${f3(m.error)} ${interval(m.ci[0], m.ci[1], f3)}`)}`;
