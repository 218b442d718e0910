import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import {
  sampleContexts,
  sampleOrthoFrame,
  sampleOrthogonalMatrix,
  sampleSphere,
  sphereCoordinateCdf,
} from '../../src/core/sphere.js';
import { ksTest } from '../../src/core/stats.js';

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
    const batch = sampleContexts(Rng.fromSeed(4), 'ortho', 5, 3, 7);
    expect(batch.X.length).toBe(7 * 3 * 5);
    expect(batch.Y.length).toBe(7 * 5);
    expect(Math.abs(dot(batch.X, 3 * 3 + 0, 3 * 3 + 2, 5))).toBeLessThan(1e-14);
    expect(() => sampleContexts(Rng.fromSeed(4), 'ortho', 3, 4, 1)).toThrow(RangeError);
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
});
