import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { sampleGaussianQueryPairs } from '../../src/core/sphere.js';
import { constructionStart, spectralNorm, valueNorm } from '../../src/search/parity-models.js';
import { toFloat64Layer, type ExportedWeights } from '../../src/search/trainable-attention.js';
import { constructionBeta, parityConstructionLayer } from '../../src/theory/parity-construction.js';

describe('value-matrix sizes for Theorem 3', () => {
  it('the spectral norm is the largest singular value', () => {
    // diag(3, −4) has singular values 3 and 4; a rotation by 30° has all singular values 1.
    expect(spectralNorm(Float64Array.from([3, 0, 0, -4]), 2)).toBeCloseTo(4, 12);
    const c = Math.cos(Math.PI / 6);
    const s = Math.sin(Math.PI / 6);
    expect(spectralNorm(Float64Array.from([c, -s, s, c]), 2)).toBeCloseTo(1, 12);
  });

  it('d·H·max_h ‖V_h‖² takes the largest head', () => {
    const V = Float64Array.from([1, 0, 0, 1, 2, 0, 0, 0]);
    const w = {
      shape: { d: 2, r: 1, heads: 2, n: 2, variant: 'bias' },
      Q: new Float64Array(4),
      K: new Float64Array(4),
      V,
      bias: null,
      positions: null,
    } as ExportedWeights;
    expect(valueNorm(w)).toBeCloseTo(2 * 2 * 4, 12);
  });
});

describe('the construction as a training start', () => {
  it('at full rank computes what the exact construction computes, to float64 rounding', () => {
    const d = 3;
    const rng = Rng.fromSeed(4);
    const b = sampleGaussianQueryPairs(rng, d, 64);
    const start = toFloat64Layer(constructionStart(d, d)).evaluate(b.X, b.Y, { size: 64, n: 2, m: 1 });
    const exact = parityConstructionLayer(d).evaluate(b.X, b.Y, { size: 64, n: 2, m: 1 });
    // Scores reach β·|t| ≈ 10³; the two layers order the same products differently.
    expect(Math.max(...start.map((v, i) => Math.abs(v - exact[i])))).toBeLessThan(1e-12);
  });

  it('cut to rank r has Q_hK_hᵀ = β·diag(1, …, 1, 0, …, 0)', () => {
    const w = constructionStart(4, 2);
    const beta = constructionBeta(4);
    const qk = (k: number, l: number) => w.Q[k * 2] * w.K[l * 2] + w.Q[k * 2 + 1] * w.K[l * 2 + 1];
    const diag = [0, 1, 2, 3].map((k) => qk(k, k) / beta);
    expect(diag.map((x) => Math.round(x * 1e12) / 1e12)).toEqual([1, 1, 0, 0]);
    expect(qk(0, 1)).toBe(0);
  });
});
