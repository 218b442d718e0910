import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { integrate } from '../../src/core/quadrature.js';
import {
  FACT1_CONSTANT_LIMIT,
  SIGMOID_SQ_INTEGRAL,
  SIGMOID_SQ_SECOND_MOMENT,
  fact1ExactError,
  fact1LargeBetaConstant,
} from '../../src/theory/fact1.js';

// 40-digit values from mpmath, integrating in t rather than θ (scripts/reference/fact1_mpmath.py).
const reference: { d: number; beta: number; error: string }[] = JSON.parse(
  readFileSync(new URL('../fixtures/fact1-reference.json', import.meta.url), 'utf8'),
).values;

const sigmoidNegSq = (u: number) => (Math.exp(-u) / (1 + Math.exp(-u))) ** 2;

describe("Fact 1's exact D_2 error", () => {
  it(`is accurate to 1e-9 relative on ${reference.length} mpmath values, 3 ≤ d ≤ 1024, 1e-3 ≤ β ≤ 1e6`, () => {
    for (const { d, beta, error } of reference) {
      const got = fact1ExactError(d, beta).error;
      expect(Math.abs(got / Number(error) - 1), `d=${d} β=${beta}`).toBeLessThan(1e-9);
    }
  });

  it('reports an error estimate that bounds its actual error', () => {
    for (const { d, beta, error } of reference) {
      const r = fact1ExactError(d, beta);
      expect(Math.abs(r.error - Number(error)), `d=${d} β=${beta}`).toBeLessThanOrEqual(r.errorEstimate);
    }
  });

  it('matches the elementary closed form at d = 3, where t is uniform on [−1, 1]', () => {
    // error = (√2/β)·(ln 2 − ½ − ln(1 + e^{−x}) + σ(−x)), x = √2β, from ∫σ(−u)² = u − ln(1+e^u) + σ(−u).
    for (const beta of [0.1, 1, 7, 300, 1e5]) {
      const x = Math.SQRT2 * beta;
      const want = (Math.SQRT2 / beta) * (Math.LN2 - 0.5 - Math.log1p(Math.exp(-x)) + 1 / (1 + Math.exp(x)));
      expect(Math.abs(fact1ExactError(3, beta).error / want - 1)).toBeLessThan(1e-12);
    }
  });

  it('is ½ at β = 0, the trivial predictor (x₁+x₂)/2', () => {
    expect(fact1ExactError(10, 0).error).toBe(0.5);
  });

  it('rejects d < 3, non-integer d and negative or infinite β', () => {
    expect(() => fact1ExactError(2, 1)).toThrow(RangeError);
    expect(() => fact1ExactError(3.5, 1)).toThrow(RangeError);
    expect(() => fact1ExactError(3, -1)).toThrow(RangeError);
    expect(() => fact1ExactError(3, Infinity)).toThrow(RangeError);
  });
});

describe('the large-β constants', () => {
  it('∫σ(−u)² = ln 2 − ½ and ∫u²σ(−u)² = (3/2)ζ(3) − π²/6, checked by quadrature', () => {
    const breaks = [1, 2, 4, 8, 16, 32];
    expect(Math.abs(integrate(sigmoidNegSq, 0, 80, { breakpoints: breaks }).value - SIGMOID_SQ_INTEGRAL)).toBeLessThan(
      1e-14,
    );
    expect(
      Math.abs(
        integrate((u) => u * u * sigmoidNegSq(u), 0, 80, { breakpoints: breaks }).value - SIGMOID_SQ_SECOND_MOMENT,
      ),
    ).toBeLessThan(1e-14);
  });

  it('c(d) tends to 2(ln 2 − ½)/√π as d grows, with a relative gap of order 1/d', () => {
    for (const d of [100, 10_000, 1_000_000]) {
      const gap = Math.abs(fact1LargeBetaConstant(d) / FACT1_CONSTANT_LIMIT - 1);
      expect(gap).toBeLessThan(1 / d); // Γ(d/2)/Γ((d−1)/2) = √(d/2)·(1 − 3/(4d) + O(d⁻²))
      expect(gap).toBeGreaterThan(0.1 / d);
    }
  });
});
