import { describe, expect, it } from 'vitest';
import { gaussLegendre, integrate } from '../../src/core/quadrature.js';

describe('Gauss–Legendre rule', () => {
  it('has weights summing to 2 and integrates x^(2n−2) exactly', () => {
    const n = 20;
    const { nodes, weights } = gaussLegendre(n);
    expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(2, 14);
    let s = 0;
    for (let i = 0; i < n; i++) s += weights[i] * nodes[i] ** (2 * n - 2);
    expect(Math.abs(s - 2 / (2 * n - 1))).toBeLessThan(1e-14);
  });
});

describe('adaptive integration', () => {
  // Each case: the value must be right, and the reported estimate must bound the actual error.
  const cases: [string, (x: number) => number, number, number, number, number[]?][] = [
    ['sin on [0, π]', Math.sin, 0, Math.PI, 2],
    ['√x on [0, 1] (endpoint singularity)', Math.sqrt, 0, 1, 2 / 3],
    // Nodes cannot see a feature narrower than their spacing; geometric breakpoints resolve it.
    [
      'a spike of width 1e−6 at 0, with geometric breakpoints',
      (x) => Math.exp(-1e6 * x),
      0,
      1,
      1e-6 * -Math.expm1(-1e6),
      [1, 2, 4, 8, 16, 32, 64].map((k) => k * 1e-6),
    ],
    ['(1 − x²)^{1/2} on [−1, 1]', (x) => Math.sqrt(Math.max(0, 1 - x * x)), -1, 1, Math.PI / 2],
  ];
  for (const [name, f, a, b, want, breakpoints] of cases) {
    it(`integrates ${name} and its error estimate is honest`, () => {
      const r = integrate(f, a, b, { relTol: 1e-12, breakpoints });
      const actual = Math.abs(r.value - want);
      expect(actual).toBeLessThanOrEqual(Math.max(r.errorEstimate, 1e-15 * Math.abs(want)));
      expect(actual / want).toBeLessThan(1e-10);
    });
  }

  it('rejects an empty or infinite interval', () => {
    expect(() => integrate(Math.sin, 1, 1)).toThrow(RangeError);
    expect(() => integrate(Math.sin, 0, Infinity)).toThrow(RangeError);
  });
});
