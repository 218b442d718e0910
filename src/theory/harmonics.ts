/**
 * Spherical harmonics on S^{d−1}, in log space: dimensions, and the Gegenbauer expansion of
 * sign(t), the profile of the nearest-neighbour target on D_2. Degrees k may be astronomically
 * large: functions take ln k (and k itself, which may be +∞).
 *
 * Conventions: t = ⟨w, y⟩ has density ∝ (1 − t²)^{(d−3)/2}; P_k = C_k^λ / C_k^λ(1), λ = (d−2)/2,
 * is the normalised Gegenbauer (Legendre) polynomial of dimension d. sign(t) = Σ_k N(d,k) s_k P_k(t)
 * with s_k = E[sign(t) P_k(t)], and e_k = N(d,k) s_k² is the share of its energy in degree k
 * (Σ_k e_k = E[sign²] = 1, e_k = 0 for even k). Derivations: proofs-notes/theorem-2.md.
 */
import { logGamma, logGammaRatioRemainder } from '../core/special.js';

const LN2 = Math.LN2;
const LN_PI = Math.log(Math.PI);

/** A degree as (k, ln k); k may be +∞ when only ln k is representable. */
export interface Degree {
  k: number;
  lnK: number;
}

/** Degree from a (finite or huge) value of ln k. */
export function degreeFromLog(lnK: number): Degree {
  return { k: Math.exp(lnK), lnK };
}

/** Degree from an ordinary number k ≥ 1. */
export function degree(k: number): Degree {
  return { k, lnK: Math.log(k) };
}

/** d ≥ 2, k ≥ 0 integer; ln N(d,k), N(d,k) = C(k+d−1, d−1) − C(k+d−3, d−1) = dim of degree-k harmonics. */
export function logHarmonicDimension(d: number, k: number): number {
  if (k === 0) return 0;
  // N(d,k) = (2k+d−2)·(k+d−3)! / (k!·(d−2)!)
  return Math.log(2 * k + d - 2) + logGamma(k + d - 2) - logGamma(k + 1) - logGamma(d - 1);
}

/** r ≥ 1, k ≥ 0; ln M(r,k), M(r,k) = C(k+r−1, r−1) = dim of degree-k harmonics that depend only on an r-dimensional projection (r < d). */
export function logProjectedDimension(r: number, k: number): number {
  return logGamma(k + r) - logGamma(k + 1) - logGamma(r);
}

/**
 * 3 ≤ d, 1 ≤ r ≤ d−1, k ≥ 1 (continuous, possibly huge); ln(M(r,k)/N(d,k)), accurate to ≈1e-13
 * absolute for every k. M/N is strictly decreasing in k (proofs-notes/theorem-2.md).
 */
export function logCapturedFraction(d: number, r: number, deg: Degree): number {
  const { k, lnK } = deg;
  const inv = Math.exp(-lnK);
  return (
    (r + 1 - d) * lnK +
    logGammaRatioRemainder(k, lnK, r, 1) -
    logGammaRatioRemainder(k, lnK, d - 2, 1) -
    Math.log(2 + (d - 2) * inv) -
    logGamma(r) +
    logGamma(d - 1)
  );
}

/** ln c_d, c_d = Γ(d/2) / (√π Γ((d−1)/2)) the density of t at 0 (d ≥ 2). */
function logDensityAtZero(d: number): number {
  return logGamma(d / 2) - 0.5 * LN_PI - logGamma((d - 1) / 2);
}

/** Below this degree e_k is evaluated from its defining Gamma functions directly. */
const DIRECT_BELOW = 64;

/**
 * d ≥ 2, k ≥ 1 odd (continuous when large); ln e_k(d), the share of sign(t)'s energy in degree k.
 * Closed form: e_k = 4 c_d J_k² / h_k with J_k = ∫_0^1 C_k^λ (1−t²)^{λ−½} dt
 * = (2λ / (k(k+2λ))) C_{k−1}^{λ+1}(0) and h_k = ‖C_k^λ‖²; for d = 2, e_k = 8/(π²k²).
 */
export function logSignEnergy(d: number, deg: Degree): number {
  const { k, lnK } = deg;
  if (d === 2) return Math.log(8) - 2 * LN_PI - 2 * lnK;
  const lambda = (d - 2) / 2;
  if (k < DIRECT_BELOW) {
    const m = (k - 1) / 2;
    const logJ =
      Math.log(2 * lambda) -
      lnK -
      Math.log(k + 2 * lambda) +
      logGamma(m + lambda + 1) -
      logGamma(lambda + 1) -
      logGamma(m + 1);
    const logH =
      LN_PI +
      (1 - 2 * lambda) * LN2 +
      logGamma(k + 2 * lambda) -
      logGamma(k + 1) -
      Math.log(k + lambda) -
      2 * logGamma(lambda);
    return Math.log(4) + logDensityAtZero(d) + 2 * logJ - logH;
  }
  // The same, with every power of k collected (they cancel to k^{−2}) and the rest as remainders
  // that vanish as k → ∞; no term is large, so nothing cancels catastrophically at huge k.
  const inv = Math.exp(-lnK);
  const m = (k - 1) / 2;
  const lnM = lnK - LN2 + Math.log1p(-inv);
  const rest =
    -2 * Math.log1p(2 * lambda * inv) +
    2 * lambda * Math.log1p(-inv) +
    2 * logGammaRatioRemainder(m, lnM, lambda + 1, 1) -
    logGammaRatioRemainder(k, lnK, 2 * lambda, 1) +
    Math.log1p(lambda * inv);
  return -2 * lnK + 3 * LN2 - LN_PI + logDensityAtZero(d) + rest;
}

/** d ≥ 2, k ≥ 1 integer; s_k = E[sign(t) P_k(t)]: 0 for even k, (−1)^{(k−1)/2}·√(e_k/N(d,k)) for odd k. */
export function signCoefficient(d: number, k: number): number {
  if (k % 2 === 0) return 0;
  const magnitude = Math.exp(0.5 * (logSignEnergy(d, degree(k)) - logHarmonicDimension(d, k)));
  return ((k - 1) / 2) % 2 === 0 ? magnitude : -magnitude;
}

/** d ≥ 2, |t| ≤ 1, n ≥ 0; P_0(t) … P_n(t), the normalised Gegenbauer polynomials (P_k(1) = 1). */
export function normalisedGegenbauer(d: number, t: number, n: number): Float64Array {
  const lambda = (d - 2) / 2;
  const p = new Float64Array(n + 1);
  p[0] = 1;
  if (n >= 1) p[1] = t;
  // (k + 2λ) P_{k+1} = 2(k + λ) t P_k − k P_{k−1}, the recurrence of C_k^λ rescaled by C_k^λ(1);
  // for d = 2 (λ = 0) it is Chebyshev's T_{k+1} = 2t T_k − T_{k−1}.
  for (let k = 1; k < n; k++) p[k + 1] = (2 * (k + lambda) * t * p[k] - k * p[k - 1]) / (k + 2 * lambda);
  return p;
}
