import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { logGamma } from '../../src/core/special.js';
import { headsNeeded, rankLowerBound } from '../../src/theory/rank-bound.js';

// 30-digit values from an independent mpmath implementation (scripts/reference/rank_bound_mpmath.py).
const reference: { d: number; r: number; log10H: number; lowerBound: string }[] = JSON.parse(
  readFileSync(new URL('../fixtures/rank-bound-reference.json', import.meta.url), 'utf8'),
).values;

describe('the Theorem-2 lower bound LB(d, r, H)', () => {
  it(`matches mpmath to 1e-10 relative on ${reference.length} cases, 3 ≤ d ≤ 4096, 1 ≤ H ≤ 1e300`, () => {
    for (const { d, r, log10H, lowerBound } of reference) {
      const got = rankLowerBound(d, r, log10H).value;
      expect(Math.abs(got / Number(lowerBound) - 1), `d=${d} r=${r} log10H=${log10H}`).toBeLessThan(1e-10);
    }
  });

  it('reproduces the digest’s calibration values', () => {
    const lb = (d: number, r: number, H: number) => rankLowerBound(d, r, Math.log10(H)).value;
    expect(lb(8, 1, 4)).toBeCloseTo(0.328, 3);
    expect(lb(8, 1, 16)).toBeCloseTo(0.152, 3);
    expect(lb(8, 2, 8)).toBeCloseTo(0.142, 3);
    expect(lb(4, 1, 8)).toBeCloseTo(0.103, 3);
    expect(lb(6, 2, 4)).toBeCloseTo(0.131, 3);
    expect(lb(8, 7, 1)).toBeCloseTo(0.097, 3);
  });

  it('follows its leading asymptote c_d/(π k*) when k* ≈ 1e300 (r = d − 2)', () => {
    // For r = d−2, H·M/N < 1 from k* on with M/N ≈ 2/((d−2)k) … so k* ≈ H(d−2)/2, and
    // LB ≈ ½·½∫_{k*}^∞ (8c_d/π) k^{−2}(1 − k*/k) dk = c_d/(π k*); corrections are O(d/k*).
    for (const d of [3, 4096]) {
      const b = rankLowerBound(d, d - 2, 300);
      const cd = Math.exp(logGamma(d / 2) - 0.5 * Math.log(Math.PI) - logGamma((d - 1) / 2));
      const kStar = Math.exp(b.lnFirstUncapturedDegree ?? NaN);
      expect(Math.abs(b.value / (cd / (Math.PI * kStar)) - 1)).toBeLessThan(1e-10);
    }
  });

  it('is ½ without heads, 0 at full rank and 0 for r = d − 1 with two heads', () => {
    expect(rankLowerBound(10, 3, -Infinity).value).toBe(0.5);
    expect(rankLowerBound(10, 10, 0).value).toBe(0);
    expect(rankLowerBound(10, 9, Math.log10(2)).value).toBe(0);
    expect(rankLowerBound(10, 9, 0).value).toBeGreaterThan(0);
  });

  it('rejects r outside [1, d], d < 2 and head counts in (0, 1)', () => {
    expect(() => rankLowerBound(8, 0, 0)).toThrow(RangeError);
    expect(() => rankLowerBound(8, 9, 0)).toThrow(RangeError);
    expect(() => rankLowerBound(1, 1, 0)).toThrow(RangeError);
    expect(() => rankLowerBound(8, 1, -0.5)).toThrow(RangeError);
  });
});

describe('headsNeeded', () => {
  it('returns the least integer H with LB ≤ ε', () => {
    const h = headsNeeded(6, 2, 0.05);
    const H = Number(h.minHeads);
    expect(rankLowerBound(6, 2, Math.log10(H)).value).toBeLessThanOrEqual(0.05);
    expect(rankLowerBound(6, 2, Math.log10(H - 1)).value).toBeGreaterThan(0.05);
  });

  it('needs one head at full rank and reports astronomically large counts in log10 only', () => {
    expect(headsNeeded(8, 8, 0.01).minHeads).toBe('1');
    const big = headsNeeded(1000, 2, 1e-6);
    expect(big.minHeads).toBeNull();
    expect(big.lowerBoundAtMinHeads).toBeLessThanOrEqual(1e-6);
    expect(rankLowerBound(1000, 2, big.log10MinHeads * (1 - 1e-9)).value).toBeGreaterThan(1e-6);
  });

  it('rejects ε outside (0, ½)', () => {
    expect(() => headsNeeded(8, 1, 0)).toThrow(RangeError);
    expect(() => headsNeeded(8, 1, 0.5)).toThrow(RangeError);
  });
});
