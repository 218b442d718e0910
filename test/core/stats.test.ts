import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { normalCdf } from '../../src/core/special.js';
import {
  binomialTest,
  bonferroniLevel,
  ksTest,
  meanInterval,
  mergeMoments,
  momentsOf,
  studentInterval,
  type Interval,
} from '../../src/core/stats.js';

/** How often `interval(sample)` covers `mean` over `reps` samples drawn by `draw`. */
function coverage(reps: number, draw: () => number[], interval: (xs: number[]) => Interval, mean: number): number {
  let covered = 0;
  for (let r = 0; r < reps; r++) {
    const ci = interval(draw());
    if (ci.lo <= mean && mean <= ci.hi) covered++;
  }
  return covered;
}

describe('moments', () => {
  it('merging chunk moments equals the moments of the whole sample', () => {
    const rng = Rng.fromSeed(3);
    const xs = Array.from({ length: 1000 }, () => 1e6 + rng.normal());
    const whole = momentsOf(xs);
    const merged = mergeMoments(
      mergeMoments(momentsOf(xs.slice(0, 10)), momentsOf(xs.slice(10, 700))),
      momentsOf(xs.slice(700)),
    );
    expect(merged.count).toBe(1000);
    // A large offset (1e6) stresses cancellation; agreement to 1e-9 relative shows none happened.
    expect(Math.abs(merged.mean - whole.mean)).toBeLessThan(1e-9 * 1e6);
    expect(Math.abs(merged.m2 / whole.m2 - 1)).toBeLessThan(1e-9);
    expect(merged.max).toBe(whole.max);
  });
});

describe('confidence intervals', () => {
  it('the 95% normal interval covers the true mean about 95% of the time', () => {
    const rng = Rng.fromSeed(5);
    const reps = 2000;
    let covered = 0;
    for (let r = 0; r < reps; r++) {
      const xs = Array.from({ length: 200 }, () => rng.nextDouble()); // mean ½
      const ci = meanInterval(momentsOf(xs), 0.95);
      if (ci.lo <= 0.5 && 0.5 <= ci.hi) covered++;
    }
    expect(binomialTest(covered, reps, 0.95).pValue).toBeGreaterThan(1e-6);
  });

  // Coverage within a binomial tolerance of the level (two-sided p > 1e-6 over the repetitions), and
  // never pinned at 1 where the interval claims to be sharp: a halved interval fails the first, a
  // doubled one the second.
  const REPS = 4000;
  const sharp = (covered: number, level: number) => {
    expect(binomialTest(covered, REPS, level).pValue).toBeGreaterThan(1e-6);
  };

  it('the normal interval covers at its level for bounded, skewed and rare-event data (n = 400)', () => {
    const rng = Rng.fromSeed(21);
    const laws: [string, () => number, number][] = [
      ['uniform', () => rng.nextDouble(), 0.5],
      ['exponential', () => -Math.log(1 - rng.nextDouble()), 1],
      ['Bernoulli(0.05)', () => (rng.nextDouble() < 0.05 ? 1 : 0), 0.05],
    ];
    for (const [, x, mean] of laws)
      for (const level of [0.9, 0.99]) {
        const covered = coverage(
          REPS,
          () => Array.from({ length: 400 }, x),
          (xs) => meanInterval(momentsOf(xs), level),
          mean,
        );
        sharp(covered, level);
      }
  });

  it('the Student interval over a handful of seeds covers at its level (n = 3 and 5, normal values)', () => {
    const rng = Rng.fromSeed(22);
    for (const n of [3, 5])
      for (const level of [0.95, 0.975]) {
        const covered = coverage(
          REPS,
          () => Array.from({ length: n }, () => 0.3 + 0.02 * rng.normal()),
          (xs) => studentInterval(xs, level),
          0.3,
        );
        sharp(covered, level);
      }
  });

  it('the paired interval over seeds covers the mean difference at its level, narrower than unpaired', () => {
    const rng = Rng.fromSeed(23);
    let pairedWidth = 0;
    let unpairedWidth = 0;
    const covered = coverage(
      REPS,
      () => {
        // A seed's luck moves both settings (sd 0.05); the difference itself varies by 0.01.
        const pairs = Array.from({ length: 5 }, () => {
          const seed = 0.05 * rng.normal();
          return [0.5 + seed, 0.4 + seed + 0.01 * rng.normal()];
        });
        const a = studentInterval(
          pairs.map((p) => p[0]),
          0.95,
        );
        const b = studentInterval(
          pairs.map((p) => p[1]),
          0.95,
        );
        unpairedWidth += a.hi - a.lo + (b.hi - b.lo);
        return pairs.map((p) => p[0] - p[1]);
      },
      (xs) => {
        const ci = studentInterval(xs, 0.95);
        pairedWidth += ci.hi - ci.lo;
        return ci;
      },
      0.1,
    );
    sharp(covered, 0.95);
    expect(pairedWidth).toBeLessThan(unpairedWidth / 3);
  });

  it('the empirical Bernstein interval covers at least its level for data in [0, 1], and is not vacuous', () => {
    const rng = Rng.fromSeed(24);
    const laws = [
      [() => rng.nextDouble(), 0.5],
      [() => (rng.nextDouble() < 0.05 ? 1 : 0), 0.05],
    ] as const;
    const bernstein = (level: number) => (xs: number[]) =>
      meanInterval(momentsOf(xs), level, 'bernstein', { range: 1 });
    for (const [x, mean] of laws) {
      // Guaranteed coverage: never below the level beyond binomial noise (one-sided)…
      const covered = coverage(REPS, () => Array.from({ length: 400 }, x), bernstein(0.9), mean);
      expect(covered / REPS > 0.9 || binomialTest(covered, REPS, 0.9).pValue > 1e-6).toBe(true);
      // …but conservative, not vacuous: at level ½ and n = 2000 its half-width is ≈ 2.4 standard
      // errors (coverage ≈ 0.98, about 60 misses in 4000 expected); an interval that never misses says nothing.
      expect(coverage(REPS, () => Array.from({ length: 2000 }, x), bernstein(0.5), mean)).toBeLessThan(REPS - 10);
    }
  });

  it('the empirical Bernstein half-width is Maurer and Pontil’s bound (2009, Theorem 4), two-sided', () => {
    // Coverage cannot show a Bernstein interval too narrow (it covers far above its level), so its
    // width is pinned to the theorem: with δ = 1 − level split over two sides, n values in an
    // interval of length R and unbiased variance V, √(2V ln(4/δ)/n) + 7R ln(4/δ)/(3(n − 1)).
    const xs = [0.1, 0.4, 0.2, 0.9, 0.5, 0.3, 0.35, 0.05];
    const n = xs.length;
    const mean = xs.reduce((a, b) => a + b, 0) / n;
    const V = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1);
    for (const [level, R] of [
      [0.9, 1],
      [0.999, 2.5],
    ]) {
      const L = Math.log(4 / (1 - level));
      const half = Math.sqrt((2 * V * L) / n) + (7 * R * L) / (3 * (n - 1));
      const ci = meanInterval(momentsOf(xs), level, 'bernstein', { range: R });
      expect(Math.abs(ci.hi - mean - half)).toBeLessThan(1e-14);
      expect(Math.abs(mean - ci.lo - half)).toBeLessThan(1e-14);
    }
  });

  it('the empirical Bernstein interval is wider than the normal one and needs the range', () => {
    const m = momentsOf([0.1, 0.4, 0.2, 0.9, 0.5, 0.3]);
    const normal = meanInterval(m, 0.99);
    const bern = meanInterval(m, 0.99, 'bernstein', { range: 1 });
    expect(bern.hi - bern.lo).toBeGreaterThan(normal.hi - normal.lo);
    expect(() => meanInterval(m, 0.99, 'bernstein')).toThrow(RangeError);
  });

  it('clips at a known lower limit and rejects levels outside (0, 1)', () => {
    const m = momentsOf([0, 0, 0, 1e-3]);
    expect(meanInterval(m, 0.95, 'normal', { lowerLimit: 0 }).lo).toBe(0);
    expect(() => meanInterval(m, 1)).toThrow(RangeError);
  });

  it('scales the half-width about the same centre for every method, and rejects a factor ≤ 0', () => {
    const m = momentsOf([0.1, 0.4, 0.2, 0.9, 0.5, 0.3]);
    for (const [method, opts] of [
      ['normal', {}],
      ['student', {}],
      ['bernstein', { range: 1 }],
    ] as const) {
      const full = meanInterval(m, 0.99, method, opts);
      const shrunk = meanInterval(m, 0.99, method, { ...opts, halfWidthFactor: 0.2 });
      expect(shrunk.lo + shrunk.hi).toBeCloseTo(full.lo + full.hi, 14);
      expect(shrunk.hi - shrunk.lo).toBeCloseTo(0.2 * (full.hi - full.lo), 14);
    }
    expect(() => meanInterval(m, 0.99, 'normal', { halfWidthFactor: 0 })).toThrow(RangeError);
  });

  it('Bonferroni splits the error budget evenly', () => {
    expect(bonferroniLevel(0.95, 5)).toBeCloseTo(0.99, 15);
  });
});

describe('tests', () => {
  it('KS accepts the right law and rejects a shifted one', () => {
    const rng = Rng.fromSeed(9);
    const xs = Array.from({ length: 5000 }, () => rng.normal());
    expect(ksTest(xs, normalCdf).pValue).toBeGreaterThan(1e-6);
    expect(ksTest(xs, (x) => normalCdf(x - 0.2)).pValue).toBeLessThan(1e-6);
  });

  it('the binomial test has the exact two-sided p-value', () => {
    expect(binomialTest(0, 10, 0.5).pValue).toBeCloseTo(2 / 1024, 14);
    expect(binomialTest(5, 10, 0.5).pValue).toBe(1);
  });
});
