import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { sampleGaussianQueryPairs } from '../../src/core/sphere.js';
import { momentsOf } from '../../src/core/stats.js';
import { thresholdParityIndex } from '../../src/model/targets.js';
import {
  parityConstructionError,
  parityConstructionErrors,
  parityThresholds,
  SHARPNESS,
  thresholdSpacing,
} from '../../src/theory/parity-construction.js';

describe('Theorem 3’s target and full-rank construction (reconstructed)', () => {
  it('has 2d² + 1 evenly spaced thresholds over ±3 standard deviations of ⟨x₁ − x₂, y⟩', () => {
    const tau = parityThresholds(4);
    expect(tau.length).toBe(33);
    expect(tau[0]).toBeCloseTo(-3 * Math.SQRT2, 14);
    expect(tau[32]).toBeCloseTo(3 * Math.SQRT2, 14);
    expect(tau[1] - tau[0]).toBeCloseTo(thresholdSpacing(4), 14);
  });

  it('the target switches point at every threshold', () => {
    const tau = Float64Array.from([-0.5, 0.5]);
    // x₁ = e₁, x₂ = e₂, y = (t, 0): t = ⟨x₁ − x₂, y⟩.
    const at = (t: number) =>
      thresholdParityIndex(Float64Array.from([1, 0, 0, 1]), Float64Array.from([t, 0]), { size: 1, d: 2 }, tau)[0];
    expect([at(-1), at(0), at(1)]).toEqual([1, 0, 1]);
  });

  it('Gaussian queries make t = ⟨x₁ − x₂, y⟩ a N(0, 2) variable whatever d is', () => {
    const b = sampleGaussianQueryPairs(Rng.fromSeed(3), 7, 20000);
    const t = new Float64Array(20000);
    for (let s = 0; s < 20000; s++)
      for (let k = 0; k < 7; k++) t[s] += (b.X[2 * s * 7 + k] - b.X[(2 * s + 1) * 7 + k]) * b.Y[s * 7 + k];
    const m = momentsOf(t);
    // Standard errors: 0.01 for the mean, ≈ 0.02 for the variance; 5 of them.
    expect(Math.abs(m.mean)).toBeLessThan(0.05);
    expect(Math.abs(m.m2 / (m.count - 1) - 2)).toBeLessThan(0.1);
  });

  it('the construction errs ≈ 4(ln 2 − ½)/(βδ) = 0.0193, below 1/40, at every d', () => {
    for (const d of [3, 5, 9]) {
      const e = parityConstructionError(d);
      expect(e.value).toBeLessThan(1 / 40);
      // The per-threshold sigmoid error sums to 4(ln2 − ½)/(βδ) when the Gaussian density is flat on the scale δ.
      expect(e.value).toBeCloseTo((4 * (Math.LN2 - 0.5)) / SHARPNESS, 3);
      expect(e.valueNorm).toBe(d * (2 * d * d + 1));
    }
  });

  it('gives every case the same bits on worker threads as one case after another, in the cases’ order', async () => {
    // Unequal costs (d = 6 is the costliest) so that the workers finish out of order.
    const cases = [{ d: 3 }, { d: 6 }, { d: 4, heads: 17 }, { d: 5 }];
    const parallel = await parityConstructionErrors(cases, 'thresholds-only');
    const serial = cases.map((c) => parityConstructionError(c.d, parityThresholds(c.d, c.heads), 'thresholds-only'));
    expect(parallel).toEqual(serial);
  });
});
