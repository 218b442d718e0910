/**
 * A computable lower bound for Theorem 3's (reconstructed) target: the error of any rank-r
 * generalized attention layer on the parity of 2d² + 1 thresholds, with Gaussian queries and D_2
 * contexts. Derivation: proofs-notes/theorem-3.md, "The lower bound we compute".
 *
 * Condition on ρ = ‖y‖ (χ_d) and write y = ρθ, θ uniform on the sphere. For fixed ρ and X the
 * target's component along w = (x_1 − x_2)/√2 is √2·g(√2ρ⟨w, θ⟩) plus a constant, g the 0/1 step
 * profile, and every head contributes a function of Q_hᵀθ. Theorem 2's counting then applies
 * degree by degree to the ρ-averaged Gegenbauer energies Ē_k of g:
 *
 *   error ≥ 2·[Σ_k Ē_k (1 − min(1, H·M(r,k)/N(d,k)))]                        (any value matrices)
 *   error ≥ 2·A(k₀) − 2·Σ_h‖V_h‖·√B(k₀),  A = Σ_{k≥k₀} Ē_k,  B = Σ_{k≥k₀} Ē_k·M(r,k)/N(d,k)   (any H)
 *
 * Degrees above K are not summed: their total energy R is known exactly (the variance minus the
 * summed energies), and M/N decreases in k, so charging R at degree K + 1 keeps both bounds valid.
 */
import { gaussLegendre } from '../core/quadrature.js';
import { incompleteBeta, logGamma } from '../core/special.js';
import { degree, logCapturedFraction } from './harmonics.js';
import { parityThresholds } from './parity-construction.js';

/** g(t) = Σ_j weights[j]·1[t > thresholds[j]], t = ⟨x_1 − x_2, y⟩ ~ N(0, 2); thresholds increasing. */
export interface StepProfile {
  thresholds: Float64Array;
  weights: Float64Array;
}

/** d ≥ 2; the reconstructed target's switch sq(t): +1, −1, +1, … at the 2d² + 1 thresholds. */
export function parityProfile(d: number): StepProfile {
  const thresholds = parityThresholds(d);
  return { thresholds, weights: thresholds.map((_, j) => (j % 2 === 0 ? 1 : -1)) };
}

/** d ≥ 2; the same thresholds summed with equal signs, scaled to [0, 1]: a staircase with no high-degree energy. */
export function staircaseProfile(d: number): StepProfile {
  const thresholds = parityThresholds(d);
  return { thresholds, weights: thresholds.map(() => 1 / thresholds.length) };
}

/** The single step 1[t > 0]: Theorem 2's nearest-neighbour profile, whose bound is known independently. */
export const SINGLE_STEP: StepProfile = { thresholds: Float64Array.of(0), weights: Float64Array.of(1) };

export interface DegreeEnergies {
  d: number;
  /** energies[k − 1] = Ē_k, the ρ-averaged energy of g in Gegenbauer degree k, k = 1 … K. */
  energies: Float64Array;
  /** R = E_ρ[Var g − Σ_{k ≤ K} E_k], the energy above degree K (≥ 0). */
  remainder: number;
  /** E_ρ[Var g]: twice this is the trivial predictor's error. */
  variance: number;
}

export interface EnergyOptions {
  /** Highest degree summed (K); default energyDegrees(d). */
  maxDegree?: number;
  /** Gauss–Legendre nodes per panel in ρ (the last, long panel has eight times as many); default 8. */
  radiusNodes?: number;
  /**
   * The dimension whose Gegenbauer weight is used (default d). Any other value is a fault: the
   * energies still sum to the variance, but in the harmonics of the wrong sphere.
   */
  weightDimension?: number;
}

/**
 * d ≥ 3; the default K: about twelve times the degree where the square wave's fundamental sits
 * (frequency π√2ρ/δ in ⟨w, θ⟩, ρ ≈ √d, δ = 3√2/d²), so that R is about 1% of the variance.
 */
export function energyDegrees(d: number): number {
  return Math.ceil(4 * Math.PI * d ** 2.5) + 200;
}

/**
 * Quadrature nodes in ρ ∈ (0, √d + 9] (χ_d's mass beyond is below e^{−40}), weights without the
 * density. A threshold τ enters s ∈ (−1, 1) at ρ = |τ|/√2, where its terms start like
 * (ρ − |τ|/√2)^{λ+½}: panels are cut at every entry, and ρ = left + width·u² on each panel turns
 * that start into a polynomial in u, so Gauss–Legendre converges fast.
 */
function radiusNodes(profile: StepProfile, d: number, perPanel: number): { rho: number; weight: number }[] {
  const hi = Math.sqrt(d) + 9;
  const cuts = [...new Set([0, ...[...profile.thresholds].map((t) => Math.abs(t) / Math.SQRT2)])]
    .filter((c) => c < hi)
    .sort((a, b) => a - b);
  cuts.push(hi);
  const out: { rho: number; weight: number }[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [left, width] = [cuts[i], cuts[i + 1] - cuts[i]];
    const rule = gaussLegendre(i + 2 === cuts.length ? 8 * perPanel : perPanel);
    for (let q = 0; q < rule.nodes.length; q++) {
      const u = (rule.nodes[q] + 1) / 2;
      // dρ = 2·width·u du, du = dx/2.
      out.push({ rho: left + width * u * u, weight: rule.weights[q] * width * u });
    }
  }
  return out;
}

/** Orthonormal Gegenbauer recurrence coefficient b_n for parameter μ (weight (1 − s²)^{μ − ½}). */
function jacobiB(n: number, mu: number): number {
  return 0.5 * Math.sqrt((n * (n + 2 * mu - 1)) / ((n + mu) * (n + mu - 1)));
}

/** d ≥ 3; Ē_k for k = 1 … K and the remainder, for the profile g of t = √2ρ⟨w, θ⟩, ρ ~ χ_d. */
export function degreeEnergies(d: number, profile: StepProfile, opts: EnergyOptions = {}): DegreeEnergies {
  if (!(Number.isInteger(d) && d >= 3)) throw new RangeError(`d must be an integer ≥ 3 (got ${d})`);
  const K = opts.maxDegree ?? energyDegrees(d);
  const weightDim = opts.weightDimension ?? d;
  const lambda = (weightDim - 2) / 2;

  const logNorm = (d / 2 - 1) * Math.LN2 + logGamma(d / 2);
  const energies = new Float64Array(K);
  let remainder = 0;
  let variance = 0;
  for (const { rho, weight } of radiusNodes(profile, d, opts.radiusNodes ?? 8)) {
    const wq = weight * Math.exp((d - 1) * Math.log(rho) - (rho * rho) / 2 - logNorm);
    if (wq === 0) continue;
    const at = radiusEnergies(profile, rho, K, lambda);
    let summed = 0;
    for (let k = 1; k <= K; k++) {
      energies[k - 1] += wq * at.energies[k - 1];
      summed += at.energies[k - 1];
    }
    variance += wq * at.variance;
    remainder += wq * Math.max(0, at.variance - summed);
  }
  return { d, energies, remainder, variance };
}

/**
 * ρ > 0, K ≥ 1, λ = (d − 2)/2; at one radius, E_k = c_k² for k = 1 … K and Var g, where
 * c_k = E_s[g(√2ρs)·p_k^λ(s)] = Σ_j α_j F_k (1 − s_j²)^{λ+½} p_{k−1}^{λ+1}(s_j), s_j = τ_j/(√2ρ),
 * p orthonormal under ν ∝ (1 − s²)^{λ−½} (resp. λ + 1), F_k = 1/√(k(k + 2λ)·Z_λ·Z_{λ+1}).
 */
export function radiusEnergies(
  profile: StepProfile,
  rho: number,
  K: number,
  lambda: number,
): { energies: Float64Array; variance: number } {
  // ln Z_μ = ln ∫(1 − s²)^{μ − ½} ds = ln B(½, μ + ½).
  const logZ = (mu: number) => 0.5 * Math.log(Math.PI) + logGamma(mu + 0.5) - logGamma(mu + 1);
  const logZZ = logZ(lambda) + logZ(lambda + 1);
  const b = new Float64Array(K + 1);
  for (let n = 1; n <= K; n++) b[n] = jacobiB(n, lambda + 1);
  const c = new Float64Array(K + 1);
  const s = profile.thresholds.map((tau) => tau / (Math.SQRT2 * rho));
  for (let j = 0; j < s.length; j++) {
    const a = s[j];
    // A threshold outside (−1, 1) is a constant at this radius: no degree k ≥ 1 sees it.
    if (!(a > -1 && a < 1)) continue;
    const front = profile.weights[j] * (1 - a * a) ** (lambda + 0.5);
    // p_n^{λ+1}(a), n = k − 1, by the orthonormal three-term recurrence (stable for |a| < 1).
    let pPrev = 0;
    let p = 1;
    for (let k = 1; k <= K; k++) {
      c[k] += front * p;
      const next = (a * p - b[k - 1] * pPrev) / b[k];
      pPrev = p;
      p = next;
    }
  }
  const energies = new Float64Array(K);
  for (let k = 1; k <= K; k++) energies[k - 1] = c[k] * c[k] * Math.exp(-(Math.log(k * (k + 2 * lambda)) + logZZ));
  return { energies, variance: stepVariance(profile, s, lambda) };
}

/** Var g(s) for s with density ∝ (1 − s²)^{λ−½}: (s + 1)/2 is Beta(λ + ½, λ + ½). */
function stepVariance(profile: StepProfile, s: Float64Array, lambda: number): number {
  const a = lambda + 0.5;
  const cdf = (x: number) => (x <= -1 ? 0 : x >= 1 ? 1 : incompleteBeta((x + 1) / 2, a, a));
  let value = 0;
  let below = 0;
  let mean = 0;
  let second = 0;
  for (let j = 0; j <= s.length; j++) {
    const upto = j < s.length ? cdf(s[j]) : 1;
    mean += value * (upto - below);
    second += value * value * (upto - below);
    below = upto;
    if (j < s.length) value += profile.weights[j];
  }
  return Math.max(0, second - mean * mean);
}

/** ln(M(r,k)/N(d,k)) for k = 1 … K + 1 (0 for r ≥ d: every degree is captured by one head). */
function logCapturedFractions(d: number, r: number, K: number): Float64Array {
  const q = new Float64Array(K + 2);
  for (let k = 1; k <= K + 1; k++) q[k] = r >= d ? 0 : logCapturedFraction(d, r, degree(k));
  return q;
}

/**
 * 1 ≤ r ≤ d, H = 10^log10H ≥ 1 heads (log10H = −∞ for none); the least mean squared error of a
 * rank-r, H-head generalized attention layer on the profile's target, whatever its value
 * matrices (trivial predictor = 2·variance).
 */
export function parityRankBound(e: DegreeEnergies, r: number, log10H: number): number {
  if (log10H === -Infinity) return 2 * e.variance;
  const K = e.energies.length;
  return boundAt(e, logCapturedFractions(e.d, r, K), log10H * Math.LN10);
}

/** The bound at H = e^lnH heads, from ln(M/N) per degree (formed in logs: H·M/N may overflow or underflow). */
function boundAt(e: DegreeEnergies, lnQ: Float64Array, lnH: number): number {
  const K = e.energies.length;
  const uncaptured = (k: number) => -Math.expm1(Math.min(0, lnH + lnQ[k]));
  let sum = 0;
  for (let k = 1; k <= K; k++) sum += e.energies[k - 1] * uncaptured(k);
  return 2 * (sum + uncaptured(K + 1) * e.remainder);
}

/**
 * 0 < ε; log10 of the least H for which the bound allows error ε at rank r (0 when one head
 * may; bisection to 1e-9 in log10 H). Capped at 10^4096 heads: beyond, +∞.
 */
export function parityHeadsNeeded(e: DegreeEnergies, r: number, eps: number): number {
  const lnQ = logCapturedFractions(e.d, r, e.energies.length);
  const lb = (log10H: number) => boundAt(e, lnQ, log10H * Math.LN10);
  if (lb(0) <= eps) return 0;
  let lo = 0;
  let hi = 1;
  while (lb(hi) > eps) {
    lo = hi;
    hi *= 2;
    if (hi > 4096) return Infinity;
  }
  while (hi - lo > 1e-9) {
    const mid = 0.5 * (lo + hi);
    if (lb(mid) > eps) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * 0 < ε; the least Σ_h ‖V_h‖ (spectral norms, any number of heads) that a rank-r layer with
 * error ε needs: max over k₀ of (2A(k₀) − ε)/(2√B(k₀)), 0 when no k₀ forces anything.
 */
export function parityValueSumNeeded(e: DegreeEnergies, r: number, eps: number): number {
  if (r >= e.d) return 0;
  const K = e.energies.length;
  const lnQ = logCapturedFractions(e.d, r, K);
  const q = (k: number) => Math.exp(lnQ[k]);
  let A = e.remainder;
  let B = q(K + 1) * e.remainder;
  let best = 0;
  for (let k0 = K; k0 >= 1; k0--) {
    A += e.energies[k0 - 1];
    B += e.energies[k0 - 1] * q(k0);
    if (B > 0) best = Math.max(best, (2 * A - eps) / (2 * Math.sqrt(B)));
  }
  return best;
}
