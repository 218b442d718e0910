import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { normalCdf } from '../../src/core/special.js';
import { binomialTest, bonferroniLevel, ksTest, meanInterval, mergeMoments, momentsOf } from '../../src/core/stats.js';

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
