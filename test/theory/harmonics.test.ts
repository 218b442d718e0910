import { logGamma as logGammaRef } from '../../src/core/special.js';
import { describe, expect, it } from 'vitest';
import {
  degree,
  degreeFromLog,
  logCapturedFraction,
  logHarmonicDimension,
  logProjectedDimension,
  logSignEnergy,
  normalisedGegenbauer,
  signCoefficient,
} from '../../src/theory/harmonics.js';

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

describe('harmonic dimensions', () => {
  it('N(d,k) = C(k+d−1, d−1) − C(k+d−3, d−1) and M(r,k) = C(k+r−1, r−1) for small d, k (exact integers)', () => {
    for (const d of [2, 3, 5, 9]) {
      for (let k = 0; k <= 12; k++) {
        const N = binomial(k + d - 1, d - 1) - (k >= 2 ? binomial(k + d - 3, d - 1) : 0);
        expect(Math.round(Math.exp(logHarmonicDimension(d, k)))).toBe(N);
      }
    }
    for (const r of [1, 2, 4])
      for (let k = 0; k <= 12; k++)
        expect(Math.round(Math.exp(logProjectedDimension(r, k)))).toBe(binomial(k + r - 1, r - 1));
  });

  it('ln(M/N) in its large-k form agrees with the plain log-gamma form to the latter’s rounding', () => {
    for (const [d, r] of [
      [3, 1],
      [8, 3],
      [64, 63],
      [500, 17],
    ]) {
      for (const k of [1, 2, 7, 63, 64, 1001, 123457]) {
        const plain = logProjectedDimension(r, k) - logHarmonicDimension(d, k);
        // The plain form subtracts log-gammas of size ≈ (k+d)·ln(k+d); each carries ≈ 2e-16 of that.
        const rounding = 4e-16 * (logGammaRef(k + d) + logGammaRef(k + r) + 1);
        expect(Math.abs(logCapturedFraction(d, r, degree(k)) - plain)).toBeLessThan(rounding);
      }
    }
  });

  it('M(r,k)/N(d,k) strictly decreases in k for r < d (what the bound’s threshold k* relies on)', () => {
    for (const [d, r] of [
      [3, 1],
      [3, 2],
      [10, 9],
      [64, 1],
      [4096, 4095],
      [4096, 2],
    ]) {
      let prev = Infinity;
      for (let k = 1; k < 3000; k += 2) {
        const v = logCapturedFraction(d, r, degree(k));
        expect(v).toBeLessThan(prev);
        prev = v;
      }
    }
  });

  it('stays finite and keeps its leading power at astronomically large degrees', () => {
    // ln(M/N) = (r+1−d)·ln k + O(1): at ln k = 1e4 the O(1) part is −ln 2 + ln((d−2)!/(r−1)!).
    const v = logCapturedFraction(10, 3, degreeFromLog(1e4));
    expect(v).toBeCloseTo(-6e4 - Math.LN2 + Math.log(40320 / 2), 6);
  });
});

describe('the energies e_k of sign(t)', () => {
  it('reproduce the digest’s reference values for d = 8 and d = 64', () => {
    const e = (d: number, k: number) => Math.exp(logSignEnergy(d, degree(k)));
    expect(e(8, 1)).toBeCloseTo(0.6776, 4);
    expect(e(8, 3)).toBeCloseTo(0.1171, 4);
    expect(e(8, 5)).toBeCloseTo(0.0523, 4);
    expect(e(64, 1)).toBeCloseTo(0.6416, 4);
    expect(e(64, 3)).toBeCloseTo(0.1084, 4);
    expect(e(64, 5)).toBeCloseTo(0.0494, 4);
  });

  it('are exact for d = 3 (Legendre): e_1 = 3/4, e_3 = 7/64', () => {
    // sign(t) = (3/2)P_1 − (7/8)P_3 + …; e_k = a_k²/(2k+1) with a_1 = 3/2, a_3 = −7/8.
    // 1e-13: the closed form passes through ln Γ, good to a few ulps of its (small) values.
    expect(Math.abs(Math.exp(logSignEnergy(3, degree(1))) - 0.75)).toBeLessThan(1e-13);
    expect(Math.abs(Math.exp(logSignEnergy(3, degree(3))) - 49 / 64 / 7)).toBeLessThan(1e-13);
  });

  it('the direct and the large-k formula agree across their switch (to 1e-12)', () => {
    for (const d of [3, 7, 200]) {
      const lambda = (d - 2) / 2;
      for (const k of [63, 65, 67]) {
        const m = (k - 1) / 2;
        // The defining formula, valid at every k: e_k = 4 c_d J_k² / h_k.
        const lg = logGammaRef;
        const logJ =
          Math.log(2 * lambda) -
          Math.log(k) -
          Math.log(k + 2 * lambda) +
          lg(m + lambda + 1) -
          lg(lambda + 1) -
          lg(m + 1);
        const logH =
          Math.log(Math.PI) +
          (1 - 2 * lambda) * Math.LN2 +
          lg(k + 2 * lambda) -
          lg(k + 1) -
          Math.log(k + lambda) -
          2 * lg(lambda);
        const logC = lg(lambda + 1) - 0.5 * Math.log(Math.PI) - lg(lambda + 0.5);
        expect(Math.abs(logSignEnergy(d, degree(k)) - (Math.log(4) + logC + 2 * logJ - logH))).toBeLessThan(1e-12 * d);
      }
    }
  });

  it('s_k carries the sign (−1)^((k−1)/2) and vanishes for even k', () => {
    expect(signCoefficient(5, 1)).toBeGreaterThan(0);
    expect(signCoefficient(5, 3)).toBeLessThan(0);
    expect(signCoefficient(5, 5)).toBeGreaterThan(0);
    expect(signCoefficient(5, 4)).toBe(0);
  });
});

describe('normalised Gegenbauer polynomials', () => {
  it('are Legendre for d = 3, Chebyshev for d = 2, and 1 at t = 1', () => {
    const t = 0.3;
    const p3 = normalisedGegenbauer(3, t, 3);
    expect(p3[2]).toBeCloseTo((3 * t * t - 1) / 2, 15);
    expect(p3[3]).toBeCloseTo((5 * t ** 3 - 3 * t) / 2, 15);
    const p2 = normalisedGegenbauer(2, Math.cos(0.7), 5);
    expect(p2[5]).toBeCloseTo(Math.cos(3.5), 14);
    expect(normalisedGegenbauer(40, 1, 30)[30]).toBeCloseTo(1, 12);
  });
});
