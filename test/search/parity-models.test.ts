import { describe, expect, it } from 'vitest';
import { spectralNorm, valueNorm } from '../../src/search/parity-models.js';
import type { ExportedWeights } from '../../src/search/trainable-attention.js';

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
