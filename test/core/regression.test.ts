import { describe, expect, it } from 'vitest';
import { fitLine } from '../../src/core/regression.js';

describe('fitLine', () => {
  it('recovers an exact line with zero residuals', () => {
    const f = fitLine([1, 2, 3, 4], [3, 5, 7, 9]);
    expect(f.slope).toBeCloseTo(2, 14);
    expect(f.intercept).toBeCloseTo(1, 14);
    expect(f.r2).toBe(1);
    expect(f.residualRms).toBeLessThan(1e-14);
  });

  it('reports the textbook slope standard error', () => {
    // Slope 0.8, intercept 0.3, residuals (−0.3, 0.9, −0.9, 0.3): s² = 1.8/2, Sxx = 5 ⇒ SE = √0.18.
    const f = fitLine([0, 1, 2, 3], [0, 2, 1, 3]);
    expect(f.slope).toBeCloseTo(0.8, 14);
    expect(f.intercept).toBeCloseTo(0.3, 14);
    expect(f.slopeStdError).toBeCloseTo(Math.sqrt(0.18), 12);
  });

  it('rejects degenerate inputs', () => {
    expect(() => fitLine([1], [1])).toThrow(RangeError);
    expect(() => fitLine([2, 2], [1, 3])).toThrow(RangeError);
  });
});
