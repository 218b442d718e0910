/**
 * Statistics for sampled checks: mergeable moments, confidence intervals for a mean, and the
 * goodness-of-fit tests the sampler properties use.
 */
import { incompleteBeta, kolmogorovSurvival, normalQuantile, studentTQuantile } from './special.js';

/** Count, mean and sum of squared deviations of a sample; mergeable in a fixed order. */
export interface Moments {
  count: number;
  mean: number;
  /** Σ (x − mean)². */
  m2: number;
  /** Largest value seen (for reports and range checks). */
  max: number;
}

export const EMPTY_MOMENTS: Moments = Object.freeze({ count: 0, mean: 0, m2: 0, max: -Infinity });

/** Moments of values[0..n) by the two-pass formula (exact mean first, then deviations). */
export function momentsOf(values: ArrayLike<number>, n = values.length): Moments {
  if (n === 0) return EMPTY_MOMENTS;
  let s = 0;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    s += values[i];
    if (values[i] > max) max = values[i];
  }
  const mean = s / n;
  let m2 = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const dev = values[i] - mean;
    m2 += dev * dev;
    c += dev;
  }
  // The compensation term corrects the rounding of the mean (Björck's corrected two-pass).
  m2 -= (c * c) / n;
  return { count: n, mean, m2: Math.max(0, m2), max };
}

/** Merges two samples' moments (Chan et al.); merging in a fixed order makes results reproducible. */
export function mergeMoments(a: Moments, b: Moments): Moments {
  if (a.count === 0) return b;
  if (b.count === 0) return a;
  const count = a.count + b.count;
  const delta = b.mean - a.mean;
  const mean = a.mean + (delta * b.count) / count;
  const m2 = a.m2 + b.m2 + (delta * delta * a.count * b.count) / count;
  return { count, mean, m2, max: Math.max(a.max, b.max) };
}

/** Unbiased sample variance (count ≥ 2). */
export function sampleVariance(m: Moments): number {
  return m.count > 1 ? m.m2 / (m.count - 1) : NaN;
}

export type IntervalMethod = 'normal' | 'student' | 'bernstein';

export interface Interval {
  lo: number;
  hi: number;
  /** Nominal coverage probability, e.g. 0.95. */
  level: number;
  method: IntervalMethod;
}

/**
 * Two-sided confidence interval for the mean. 'normal': the CLT interval mean ± z·s/√n.
 * 'student': mean ± t_{n−1}·s/√n, exact for normal values and the right one for a handful of
 * them (seeds of a training, whose spread is estimated from the seeds themselves).
 * 'bernstein': the empirical Bernstein bound (Maurer & Pontil 2009), valid for every n when
 * each value lies in an interval of length `range`; wider, but its coverage is guaranteed.
 * Values known to be ≥ 0 can pass `lowerLimit: 0` to clip the interval at the support.
 * `halfWidthFactor` (> 0, default 1) scales the half-width about the same centre, before clipping:
 * the over-confident interval a sentinel uses to show that a check notices a too-narrow interval.
 */
export function meanInterval(
  m: Moments,
  level: number,
  method: IntervalMethod = 'normal',
  opts: { range?: number; lowerLimit?: number; halfWidthFactor?: number } = {},
): Interval {
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1) (got ${level})`);
  const factor = opts.halfWidthFactor ?? 1;
  if (!(factor > 0)) throw new RangeError(`halfWidthFactor must be > 0 (got ${factor})`);
  if (m.count < 2) throw new RangeError('an interval needs at least 2 samples');
  const n = m.count;
  const variance = sampleVariance(m);
  let half: number;
  if (method === 'normal') {
    half = normalQuantile(1 - (1 - level) / 2) * Math.sqrt(variance / n);
  } else if (method === 'student') {
    half = studentTQuantile(1 - (1 - level) / 2, n - 1) * Math.sqrt(variance / n);
  } else {
    const range = opts.range;
    if (!(range !== undefined && range > 0))
      throw new RangeError('the Bernstein interval needs the range of the values');
    // Two-sided: δ/2 on each side, each side the one-sided bound at confidence 1 − δ/2.
    const logTerm = Math.log(4 / (1 - level));
    half = Math.sqrt((2 * variance * logTerm) / n) + (7 * range * logTerm) / (3 * (n - 1));
  }
  half *= factor;
  let lo = m.mean - half;
  const hi = m.mean + half;
  if (opts.lowerLimit !== undefined) lo = Math.max(lo, opts.lowerLimit);
  return { lo, hi, level, method };
}

/** The level each of k tests needs so that all hold together with probability ≥ `level` (Bonferroni). */
export function bonferroniLevel(level: number, k: number): number {
  return 1 - (1 - level) / k;
}

export interface TestResult {
  statistic: number;
  pValue: number;
}

/**
 * One-sample Kolmogorov–Smirnov test of values against a continuous CDF; the p-value uses the
 * asymptotic Kolmogorov law with Stephens' finite-n correction (accurate for n ≥ 35).
 */
export function ksTest(values: ArrayLike<number>, cdf: (x: number) => number): TestResult {
  const xs = Float64Array.from(values).sort();
  const n = xs.length;
  if (n === 0) throw new RangeError('ksTest needs at least one value');
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(xs[i]);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  const sqrtN = Math.sqrt(n);
  return { statistic: d, pValue: kolmogorovSurvival((sqrtN + 0.12 + 0.11 / sqrtN) * d) };
}

/** Exact two-sided binomial test of k successes in n trials against success probability p. */
export function binomialTest(k: number, n: number, p: number): TestResult {
  if (!(Number.isInteger(k) && Number.isInteger(n) && k >= 0 && k <= n && n > 0)) {
    throw new RangeError(`binomialTest(k=${k}, n=${n})`);
  }
  // P(X ≥ k) = I_p(k, n−k+1); P(X ≤ k) = 1 − I_p(k+1, n−k).
  const upper = k === 0 ? 1 : incompleteBeta(p, k, n - k + 1);
  const lower = k === n ? 1 : 1 - incompleteBeta(p, k + 1, n - k);
  return { statistic: k / n, pValue: Math.min(1, 2 * Math.min(upper, lower)) };
}

/**
 * Student-t interval for the mean of a handful of values (the seeds of a training, whose spread is
 * estimated from the seeds themselves); needs at least 2 values.
 */
export function studentInterval(values: readonly number[], level: number): Interval {
  return meanInterval(momentsOf(values), level, 'student');
}
