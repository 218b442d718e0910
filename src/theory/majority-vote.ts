/**
 * Theorem 5's majority vote, exactly. A random rank-1 head with q = k = u (u uniform) picks x_1
 * on D_2 iff sign⟨u, y⟩ = sign⟨u, w⟩, w = (x_1 − x_2)/√2; given the angle θ between y and w
 * this happens with probability 1 − θ/π, independently across heads. The two-layer network
 * outputs the point most heads picked (a tie picks x_1), and a wrong pick costs ‖x_1 − x_2‖² = 2.
 * Averaged over the draw of the heads, its D_2 error is therefore
 *   2 · E_θ[ Pr(majority of H Bernoulli(1 − θ/π) votes is wrong) ],
 * with θ distributed as the angle between two independent uniform points, density ∝ sin^{d−2}θ.
 */
import { integrate } from '../core/quadrature.js';
import { incompleteBeta, logBeta } from '../core/special.js';

/** H ≥ 1 votes, each right with probability p ∈ [0, 1]; returns Pr[majority wrong], a tie counting `tieWeight` (½: a fair coin). */
export function majorityWrongProbability(heads: number, p: number, tieWeight = 0.5): number {
  if (!(Number.isInteger(heads) && heads >= 1)) throw new RangeError(`heads must be an integer ≥ 1 (got ${heads})`);
  // Pr[Bin(H, p) ≤ k] = I_{1−p}(H − k, k + 1).
  const atMost = (k: number) => (k < 0 ? 0 : k >= heads ? 1 : incompleteBeta(1 - p, heads - k, k + 1));
  const below = atMost(Math.ceil(heads / 2) - 1);
  if (heads % 2 === 1) return below;
  return below + tieWeight * (atMost(heads / 2) - below);
}

export interface MajorityError {
  /** Expected D_2 error over the draw of the H heads (trivial predictor: ½, ceiling 2). */
  value: number;
  /** Quadrature error estimate. */
  errorEstimate: number;
}

/**
 * d ≥ 3, H ≥ 1; the expected D_2 mean squared error of the two-layer majority-vote network with H
 * random rank-1 heads in layer 1 (exact up to quadrature, relative accuracy ≈ 1e-10).
 */
export function majorityVoteError(d: number, heads: number, tieWeight = 0.5): MajorityError {
  if (!(Number.isInteger(d) && d >= 3)) throw new RangeError(`d must be an integer ≥ 3 (got ${d})`);
  const logZ = logBeta(0.5, (d - 1) / 2);
  const density = (theta: number) => Math.exp((d - 2) * Math.log(Math.sin(theta)) - logZ);
  // By the symmetry y ↦ −y only θ < π/2 is needed (factor 2); the integrand changes on the
  // scale 1/√H below π/2, where the vote's mean 1 − 2θ/π meets its noise.
  const scale = 1 / Math.sqrt(heads);
  const breakpoints = [0.25, 0.5, 1, 2, 4, 8].map((c) => Math.PI / 2 - c * scale).filter((x) => x > 0);
  const q = integrate(
    (theta) => density(theta) * majorityWrongProbability(heads, 1 - theta / Math.PI, tieWeight),
    0,
    Math.PI / 2,
    {
      relTol: 1e-11,
      breakpoints: [...new Set(breakpoints)].sort((a, b) => a - b),
    },
  );
  return { value: 4 * q.value, errorEstimate: 4 * q.errorEstimate };
}

/**
 * d ≥ 3, H ≥ 1; the large-H asymptote √(2π)·ρ(0)/√H with ρ(0) = Γ(d/2)/(√π Γ((d−1)/2)) the
 * density of t = cos θ at 0; ≈ √(d/H) for large d.
 */
export function majorityVoteAsymptote(d: number, heads: number): number {
  const rho0 = Math.exp(-logBeta(0.5, (d - 1) / 2));
  return (Math.sqrt(2 * Math.PI) * rho0) / Math.sqrt(heads);
}

/**
 * d ≥ 3, ε ∈ (0, ½); the least odd H whose expected error is ≤ ε (odd: an even H = 2m errs
 * exactly as 2m − 1 does, the tie being a fair coin). `error` is a seam for sentinels.
 */
export function minimalMajorityHeads(
  d: number,
  eps: number,
  error: (d: number, h: number) => number = (dd, h) => majorityVoteError(dd, h).value,
): number {
  if (!(eps > 0 && eps < 0.5)) throw new RangeError(`eps must be in (0, 0.5) (got ${eps})`);
  let hi = 1;
  while (error(d, hi) > eps) {
    hi = 2 * hi + 1;
    if (hi > 2 ** 40) throw new RangeError(`no H ≤ 2^40 reaches ε = ${eps} at d = ${d}`);
  }
  // Invariant: error(hi) ≤ ε; odd lo with error(lo) > ε (or lo = −1).
  let lo = hi === 1 ? -1 : (hi - 1) / 2;
  while (hi - lo > 2) {
    let mid = Math.floor((lo + hi) / 2);
    if (mid % 2 === 0) mid += 1;
    if (mid >= hi) mid -= 2;
    if (error(d, mid) <= eps) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * d ≥ 3, H ≥ 1; the expected D_2 error of the same H heads without layer 2: one layer outputting
 * the average of the picked points, λx_1 + (1 − λ)x_2 with λ the share of votes for x_1. With
 * W ~ Bin(H, θ/π) wrong votes its error is 2·E[(W/H)²] = 2·E_θ[(θ/π)² + (θ/π)(1 − θ/π)/H]: a
 * one-layer rank-1 construction, which Theorem 2's bound must stay below.
 */
export function averageVoteError(d: number, heads: number): MajorityError {
  if (!(Number.isInteger(d) && d >= 3)) throw new RangeError(`d must be an integer ≥ 3 (got ${d})`);
  const logZ = logBeta(0.5, (d - 1) / 2);
  const q = integrate(
    (theta) => {
      const p = theta / Math.PI;
      return Math.exp((d - 2) * Math.log(Math.sin(theta)) - logZ) * (p * p + (p * (1 - p)) / heads);
    },
    0,
    Math.PI / 2,
    { relTol: 1e-11 },
  );
  return { value: 4 * q.value, errorEstimate: 4 * q.errorEstimate };
}
