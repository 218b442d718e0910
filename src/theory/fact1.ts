/**
 * Fact 1 in closed form: the D_2 error of the full-rank head QKᵀ = βI, V = I.
 *
 * With w = (x_1 − x_2)/√2 and t = ⟨w, y⟩, the head outputs σ(√2βt)x_1 + σ(−√2βt)x_2, so its
 * squared error is 2σ(−√2β|t|)², and t has density ∝ (1 − t²)^{(d−3)/2} on [−1, 1]. Substituting
 * t = sin θ turns the weight into cos^{d−2}θ, smooth on [0, π/2] for every integer d ≥ 2:
 *
 *   error(β) = 2 ∫_0^{π/2} σ(−√2β sin θ)² cos^{d−2}θ dθ / ∫_0^{π/2} cos^{d−2}θ dθ,
 *
 * with the normaliser (√π/2)·Γ((d−1)/2)/Γ(d/2). Derivations: proofs-notes/fact-1.md.
 */
import { integrate } from '../core/quadrature.js';
import { logGamma } from '../core/special.js';

export interface ExactError {
  /** Mean squared error on D_2. */
  error: number;
  /** Estimated absolute error of `error` (quadrature estimate plus rounding in the normaliser). */
  errorEstimate: number;
  evaluations: number;
}

/** σ(−x)² for x ≥ 0, without overflow and with full relative accuracy for large x. */
function sigmoidNegSquared(x: number): number {
  const e = Math.exp(-x);
  const s = e / (1 + e);
  return s * s;
}

/** ln ∫_0^{π/2} cos^{d−2}θ dθ = ln((√π/2)·Γ((d−1)/2)/Γ(d/2)), d ≥ 2. */
function logCosPowerIntegral(d: number): number {
  return 0.5 * Math.log(Math.PI) - Math.LN2 + logGamma((d - 1) / 2) - logGamma(d / 2);
}

/**
 * d ≥ 3 (integer), β ≥ 0; returns the exact D_2 mean squared error of Fact 1's head with its
 * estimated absolute error (relative accuracy ≤ 1e-9 for 3 ≤ d ≤ 1024, 1e-3 ≤ β ≤ 1e6).
 * The trivial predictor (x_1+x_2)/2 is β = 0: error ½.
 */
export function fact1ExactError(d: number, beta: number): ExactError {
  if (!(Number.isInteger(d) && d >= 3)) throw new RangeError(`d must be an integer ≥ 3 (got ${d})`);
  if (!(beta >= 0 && Number.isFinite(beta))) throw new RangeError(`beta must be finite and ≥ 0 (got ${beta})`);
  if (beta === 0) return { error: 0.5, errorEstimate: 0, evaluations: 0 };
  const c = Math.SQRT2 * beta;
  const power = d - 2;
  const integrand = (theta: number) =>
    sigmoidNegSquared(c * Math.sin(theta)) * Math.exp(power * Math.log(Math.cos(theta)));
  // Panels start split where either factor changes scale: σ² at θ ≈ 2^k/(√2β) (it is below
  // e^{−120} past 2^6/(√2β)), the weight at θ ≈ j/√d. Without the first, a spike of width
  // 1e−6 at θ = 0 could fall between every node and be missed.
  const half = Math.PI / 2;
  const breaks: number[] = [];
  for (let k = -3; k <= 6; k++) breaks.push(2 ** k / c);
  for (let j = 1; j <= 8; j++) breaks.push(j / Math.sqrt(d));
  const q = integrate(integrand, 0, half, { relTol: 1e-13, breakpoints: breaks.filter((x) => x < half) });
  const logZ = logCosPowerIntegral(d);
  const scale = 2 * Math.exp(-logZ);
  const error = q.value * scale;
  // logGamma's absolute error (≈ 1e-15·|lnΓ|) enters the normaliser multiplicatively.
  const normaliserRelError = 4e-16 * (Math.abs(logGamma((d - 1) / 2)) + Math.abs(logGamma(d / 2)) + 1);
  return { error, errorEstimate: q.errorEstimate * scale + error * normaliserRelError, evaluations: q.evaluations };
}

/** ∫_0^∞ σ(−u)² du = ln 2 − ½. */
export const SIGMOID_SQ_INTEGRAL = Math.LN2 - 0.5;

/** ∫_0^∞ u²σ(−u)² du = (3/2)ζ(3) − π²/6. */
export const SIGMOID_SQ_SECOND_MOMENT = 1.5 * 1.2020569031595942 - (Math.PI * Math.PI) / 6;

/**
 * d ≥ 3; the closed-form limit of β·error(β)/√d as β → ∞:
 * 2√2 (ln 2 − ½) Γ(d/2) / (√(πd) Γ((d−1)/2)).
 */
export function fact1LargeBetaConstant(d: number): number {
  if (!(d >= 3)) throw new RangeError(`d must be ≥ 3 (got ${d})`);
  return (
    (2 * Math.SQRT2 * SIGMOID_SQ_INTEGRAL * Math.exp(logGamma(d / 2) - logGamma((d - 1) / 2))) / Math.sqrt(Math.PI * d)
  );
}

/** The d → ∞ limit of fact1LargeBetaConstant: 2(ln 2 − ½)/√π ≈ 0.2179. */
export const FACT1_CONSTANT_LIMIT = (2 * SIGMOID_SQ_INTEGRAL) / Math.sqrt(Math.PI);

/**
 * d ≥ 3, β > 0; the two-term large-β expansion of the error,
 * error ≈ c(d)·√d/β · (1 − κ(d−3)/β²), κ = ∫u²σ(−u)² / (4∫σ(−u)²) ≈ 0.2047.
 * The remainder is O(d²/β⁴) relative; see proofs-notes/fact-1.md.
 */
export function fact1Asymptote(d: number, beta: number, terms: 1 | 2 = 2): number {
  const leading = (fact1LargeBetaConstant(d) * Math.sqrt(d)) / beta;
  if (terms === 1) return leading;
  return leading * (1 - (FACT1_SECOND_ORDER_COEFFICIENT * (d - 3)) / (beta * beta));
}

/** κ in fact1Asymptote. */
export const FACT1_SECOND_ORDER_COEFFICIENT = SIGMOID_SQ_SECOND_MOMENT / (4 * SIGMOID_SQ_INTEGRAL);
