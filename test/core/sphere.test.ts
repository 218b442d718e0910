import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import {
  sampleContexts,
  sampleOrthoFrame,
  sampleOrthogonalMatrix,
  sampleSphere,
  sphereCoordinateCdf,
  type FrameSampler,
} from '../../src/core/sphere.js';
import { qrFrameWithoutSignFix } from '../../properties/support/sentinel-samplers.js';
import { binomialTest, ksTest } from '../../src/core/stats.js';

function dot(a: Float64Array, i: number, j: number, d: number): number {
  let s = 0;
  for (let k = 0; k < d; k++) s += a[i * d + k] * a[j * d + k];
  return s;
}

describe('sphere samplers', () => {
  it('uniform points have unit norm to 1e-15', () => {
    const rng = Rng.fromSeed(1);
    const x = new Float64Array(50);
    for (let t = 0; t < 100; t++) {
      sampleSphere(rng, 50, x);
      expect(Math.abs(dot(x, 0, 0, 50) - 1)).toBeLessThan(1e-15 * 50);
    }
  });

  it('frames are orthonormal to 1e-14, up to n = d', () => {
    const rng = Rng.fromSeed(2);
    for (const [d, n] of [
      [3, 3],
      [8, 5],
      [64, 64],
    ]) {
      const f = new Float64Array(n * d);
      sampleOrthoFrame(rng, d, n, f);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) expect(Math.abs(dot(f, i, j, d) - (i === j ? 1 : 0))).toBeLessThan(1e-14);
    }
    expect(() => sampleOrthoFrame(rng, 3, 4, new Float64Array(12))).toThrow(RangeError);
  });

  it('orthogonal matrices satisfy RᵀR = I', () => {
    const R = sampleOrthogonalMatrix(Rng.fromSeed(3), 10);
    for (let i = 0; i < 10; i++)
      for (let j = 0; j < 10; j++) expect(Math.abs(dot(R, i, j, 10) - (i === j ? 1 : 0))).toBeLessThan(1e-14);
  });

  it('contexts are laid out sample-major and D_N rejects n > d', () => {
    const batch = sampleContexts(Rng.fromSeed(4), 'ortho', { d: 5, n: 3, size: 7 });
    expect(batch.X.length).toBe(7 * 3 * 5);
    expect(batch.Y.length).toBe(7 * 5);
    expect(Math.abs(dot(batch.X, 3 * 3 + 0, 3 * 3 + 2, 5))).toBeLessThan(1e-14);
    expect(() => sampleContexts(Rng.fromSeed(4), 'ortho', { d: 3, n: 4, size: 1 })).toThrow(RangeError);
  });

  it('the coordinate CDF is uniform for d = 3 (Archimedes) and symmetric for every d', () => {
    for (const t of [-0.9, -0.2, 0.3, 0.77]) expect(sphereCoordinateCdf(3, t)).toBeCloseTo((t + 1) / 2, 13);
    // 1e-12: the incomplete beta's prefactor carries ≈ 1e-16 · ln B((d−1)/2, (d−1)/2) rounding.
    for (const d of [2, 4, 17, 300]) {
      expect(Math.abs(sphereCoordinateCdf(d, 0) - 0.5)).toBeLessThan(1e-12);
      expect(Math.abs(sphereCoordinateCdf(d, 0.1) + sphereCoordinateCdf(d, -0.1) - 1)).toBeLessThan(1e-12);
    }
  });

  it('uniform points have the coordinate law the CDF describes', () => {
    const rng = Rng.fromSeed(5);
    const d = 6;
    const x = new Float64Array(d);
    const coords = Array.from({ length: 5000 }, () => (sampleSphere(rng, d, x), x[2]));
    expect(ksTest(coords, (t) => sphereCoordinateCdf(d, t)).pValue).toBeGreaterThan(1e-6);
  });

  it('frames have the Haar sign law: every coordinate of every frame vector is positive half the time', () => {
    // An independent defence against a sign-biased frame sampler (the properties have another):
    // 4000 frames, 8 coordinates each, two-sided binomial tests at 1e-6 (Bonferroni: 1e-7 each).
    expect(Math.min(...signPValues(sampleOrthoFrame))).toBeGreaterThan(1e-7);
  });

  it('the sign-law test rejects the QR frame without the sign fix (the test can fail)', () => {
    expect(Math.min(...signPValues(qrFrameWithoutSignFix))).toBeLessThan(1e-7);
  });
});

/** For d = 4, n = 2: the binomial p-value of “positive” for each of the 8 coordinates over 4000 frames. */
function signPValues(sampler: FrameSampler): number[] {
  const rng = Rng.fromSeed(17);
  const d = 4;
  const n = 2;
  const frames = 4000;
  const out = new Float64Array(n * d);
  const positive = new Array<number>(n * d).fill(0);
  for (let f = 0; f < frames; f++) {
    sampler(rng, d, n, out, 0);
    for (let i = 0; i < n * d; i++) if (out[i] > 0) positive[i]++;
  }
  return positive.map((k) => binomialTest(k, frames, 0.5).pValue);
}
