import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { sampleSphere } from '../../src/core/sphere.js';
import { binomialTest } from '../../src/core/stats.js';
import { agreementProbability } from '../../src/theory/agreement.js';

describe('agreement of a rank-1 hardmax head with the target', () => {
  it('is exact in d = 2: 3/4 for q = k, ½ for q ⊥ k', () => {
    // q = k: the head agrees unless exactly one of sign⟨q,y⟩, sign⟨q,w⟩, sign⟨w,y⟩ flips: 3/4.
    expect(agreementProbability(2, 1)).toBeCloseTo(0.75, 9);
    expect(agreementProbability(2, 0)).toBeCloseTo(0.5, 12);
  });

  it('is ½ for orthogonal q, k in every d and symmetric: b(−c) = 1 − b(c)', () => {
    for (const d of [3, 8, 64]) {
      expect(agreementProbability(d, 0)).toBeCloseTo(0.5, 12);
      expect(agreementProbability(d, -0.6) + agreementProbability(d, 0.6)).toBeCloseTo(1, 12);
    }
  });

  it('matches a simulation of the head on D_2 (exact binomial test at 1e-6)', () => {
    const rng = Rng.fromSeed(17);
    for (const [d, angle] of [
      [3, 0.4],
      [8, Math.PI / 6],
      [20, 1.2],
    ] as const) {
      const q = new Float64Array(d);
      q[0] = 1;
      const k = new Float64Array(d);
      k[0] = Math.cos(angle);
      k[1] = Math.sin(angle);
      const y = new Float64Array(d);
      const w = new Float64Array(d);
      const n = 300_000;
      let agree = 0;
      for (let i = 0; i < n; i++) {
        sampleSphere(rng, d, y);
        sampleSphere(rng, d, w);
        let qy = 0;
        let kw = 0;
        let wy = 0;
        for (let j = 0; j < d; j++) {
          qy += q[j] * y[j];
          kw += k[j] * w[j];
          wy += w[j] * y[j];
        }
        if ((qy > 0 === kw > 0) === wy > 0) agree++;
      }
      expect(binomialTest(agree, n, agreementProbability(d, Math.cos(angle))).pValue).toBeGreaterThan(1e-6);
    }
  });
});
