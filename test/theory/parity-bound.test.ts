import { describe, expect, it } from 'vitest';
import { integrate } from '../../src/core/quadrature.js';
import { logHarmonicDimension, normalisedGegenbauer } from '../../src/theory/harmonics.js';
import {
  degreeEnergies,
  parityHeadsNeeded,
  parityProfile,
  parityRankBound,
  parityValueSumNeeded,
  radiusEnergies,
  staircaseProfile,
  type StepProfile,
} from '../../src/theory/parity-bound.js';

/** The profile's value at s for radius ρ: g(√2ρs). */
function stepAt(profile: StepProfile, rho: number, s: number): number {
  let v = 0;
  for (let j = 0; j < profile.thresholds.length; j++)
    if (Math.SQRT2 * rho * s > profile.thresholds[j]) v += profile.weights[j];
  return v;
}

/** E_k at one radius by direct quadrature of g·P_k against the density of s (independent of the derivative identity). */
function energyByQuadrature(d: number, profile: StepProfile, rho: number, k: number): number {
  const lambda = (d - 2) / 2;
  const density = (s: number) => (1 - s * s) ** (lambda - 0.5);
  const cuts = [...profile.thresholds].map((t) => t / (Math.SQRT2 * rho)).filter((s) => s > -1 && s < 1);
  const opts = { relTol: 1e-12, breakpoints: cuts };
  const Z = integrate(density, -1, 1, opts).value;
  const coef =
    integrate((s) => stepAt(profile, rho, s) * normalisedGegenbauer(d, s, k)[k] * density(s), -1, 1, opts).value / Z;
  // P_k = C_k/C_k(1) has E[P_k²] = 1/N(d,k): the orthonormal coefficient is coef·√N.
  return coef * coef * Math.exp(logHarmonicDimension(d, k));
}

describe('the degree energies of a step profile', () => {
  it('match direct quadrature of the profile against each Gegenbauer polynomial (d = 4, 6; 5 radii; degrees 1–40)', () => {
    for (const d of [4, 6]) {
      const profile = parityProfile(d);
      for (const rho of [1.2, 2, Math.sqrt(d), 3.1, 4.5]) {
        const { energies } = radiusEnergies(profile, rho, 40, (d - 2) / 2);
        for (const k of [1, 3, 7, 15, 21, 39]) {
          // Absolute 1e-10: the quadrature's own tolerance on coefficients of size ≤ 0.5.
          expect(
            Math.abs(energies[k - 1] - energyByQuadrature(d, profile, rho, k)),
            `d=${d} ρ=${rho} k=${k}`,
          ).toBeLessThan(1e-10);
        }
      }
    }
  });

  it('vanish at even degrees for the parity (its switch minus ½ is odd)', () => {
    const { energies } = radiusEnergies(parityProfile(6), 2.5, 60, 2);
    // Rounding of sums of ≈ 73 terms of size ≤ 1.
    for (let k = 2; k <= 60; k += 2) expect(energies[k - 1]).toBeLessThan(1e-26);
  });

  it('sum to the variance: the unsummed remainder falls as K grows and never goes negative', () => {
    const d = 6;
    const rem = [300, 1200, 4800].map((K) => degreeEnergies(d, parityProfile(d), { maxDegree: K }).remainder);
    expect(rem[0]).toBeGreaterThan(rem[1]);
    expect(rem[1]).toBeGreaterThan(rem[2]);
    expect(rem[2]).toBeGreaterThan(0);
    // The target switches half the time: Var = ¼ to the quadrature's accuracy in ρ.
    expect(degreeEnergies(d, parityProfile(d)).variance).toBeCloseTo(0.25, 12);
  });

  it('do not depend on the radius quadrature: 8 and 16 nodes per panel give the same bound to 1e-9', () => {
    const at = (nodes: number) => parityRankBound(degreeEnergies(6, parityProfile(6), { radiusNodes: nodes }), 3, 2);
    expect(Math.abs(at(8) - at(16))).toBeLessThan(1e-9);
  });
});

describe('the rank-r bound on the parity target', () => {
  const d = 6;
  const e = degreeEnergies(d, parityProfile(d));

  it('is the trivial error without heads, 0 at full rank, and non-increasing in H', () => {
    expect(parityRankBound(e, 2, -Infinity)).toBeCloseTo(0.5, 12);
    expect(parityRankBound(e, d, 0)).toBe(0);
    let last = Infinity;
    for (let log10H = 0; log10H <= 12; log10H += 0.5) {
      const v = parityRankBound(e, 2, log10H);
      expect(v).toBeLessThanOrEqual(last);
      last = v;
    }
  });

  it('only rises when more degrees are summed (the truncation is conservative)', () => {
    const coarse = degreeEnergies(d, parityProfile(d), { maxDegree: 400 });
    for (const [r, log10H] of [
      [1, 6],
      [3, 3],
      [4, 2],
    ])
      expect(parityRankBound(coarse, r, log10H)).toBeLessThanOrEqual(parityRankBound(e, r, log10H) + 1e-15);
  });

  it('needs H* heads for error 1/40: the bound is above 1/40 just below H* and at most 1/40 at H*', () => {
    for (const r of [1, 3, 4]) {
      const x = parityHeadsNeeded(e, r, 1 / 40);
      expect(parityRankBound(e, r, x)).toBeLessThanOrEqual(1 / 40);
      expect(parityRankBound(e, r, x - 1e-6)).toBeGreaterThan(1 / 40);
    }
  });

  it('asks more of lower ranks, in heads and in value matrices, and nothing of full rank', () => {
    for (let r = 1; r < d - 1; r++) {
      expect(parityHeadsNeeded(e, r, 1 / 40)).toBeGreaterThan(parityHeadsNeeded(e, r + 1, 1 / 40));
      expect(parityValueSumNeeded(e, r, 1 / 40)).toBeGreaterThan(parityValueSumNeeded(e, r + 1, 1 / 40));
    }
    expect(parityValueSumNeeded(e, d, 1 / 40)).toBe(0);
  });

  it('separates the parity from a staircase of the same thresholds, which one rank-1 head nearly fits', () => {
    const stair = degreeEnergies(d, staircaseProfile(d));
    expect(parityHeadsNeeded(stair, 1, 1 / 40)).toBeLessThan(1);
    expect(parityHeadsNeeded(e, 1, 1 / 40)).toBeGreaterThan(9);
  });
});
