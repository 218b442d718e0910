/**
 * The computable form of Theorem 2's lower bound (derivation: proofs-notes/theorem-2.md):
 *
 *   LB(d, r, H) = ½ Σ_{k odd} e_k(d) · (1 − min(1, H·M(r,k)/N(d,k)))
 *
 * bounds the D_2 mean squared error of every rank-r, H-head generalized attention layer from
 * below. M/N strictly decreases in k, so the terms vanish below a threshold degree k* and the
 * bound is a tail sum from k* on: summed term by term up to K_d = 20d + 2001, and beyond by the
 * Euler–Maclaurin formula (step 2, through the F‴ term) with the integral in ln k. H may be far
 * beyond the double range: it enters only as ln H.
 */
import { integrate } from '../core/quadrature.js';
import { degree, degreeFromLog, logCapturedFraction, logSignEnergy, type Degree } from './harmonics.js';

export interface BoundResult {
  /** The lower bound on the D_2 mean squared error, in [0, ½]. */
  value: number;
  /** The first odd degree not fully captured by H heads (k*), or null when every degree is (bound 0). */
  firstUncapturedDegree: number | null;
  /** ln k* (finite even when k* overflows a double). */
  lnFirstUncapturedDegree: number | null;
}

const LN10 = Math.LN10;
const TWO_POW_52 = 2 ** 52;

/** Odd degrees up to here are summed term by term; beyond, the summand is smooth on the scale of the step. */
function directLimit(d: number): number {
  return 20 * d + 2001;
}

function checkArgs(d: number, r: number, log10H: number): void {
  if (!(Number.isInteger(d) && d >= 2)) throw new RangeError(`d must be an integer ≥ 2 (got ${d})`);
  if (!(Number.isInteger(r) && r >= 1 && r <= d)) throw new RangeError(`r must be an integer in [1, d] (got ${r})`);
  if (Number.isNaN(log10H) || log10H === Infinity)
    throw new RangeError(`log10 of the head count must be finite or −∞ (got ${log10H})`);
  if (log10H !== -Infinity && log10H < 0) throw new RangeError(`the head count must be 0 or ≥ 1 (got 10^${log10H})`);
}

/**
 * 2 ≤ d, 1 ≤ r ≤ d, H = 10^log10H ∈ {0} ∪ [1, 10^(10^6)] heads; returns LB(d, r, H), the smallest
 * D_2 mean squared error any rank-r, H-head generalized attention layer can have
 * (trivial predictor = ½; relative accuracy ≈ 1e-10).
 */
export function rankLowerBound(d: number, r: number, log10H: number): BoundResult {
  checkArgs(d, r, log10H);
  if (log10H === -Infinity) return { value: 0.5, firstUncapturedDegree: 1, lnFirstUncapturedDegree: 0 };
  if (r >= d) return { value: 0, firstUncapturedDegree: null, lnFirstUncapturedDegree: null };
  const lnH = log10H * LN10;
  /** ln(H·M/N) at a degree; negative exactly where the degree is not fully captured. */
  const captured = (deg: Degree) => lnH + logCapturedFraction(d, r, deg);
  // For r = d−1, M/N decreases to ½: with H ≥ 2 every degree is captured.
  if (r === d - 1 && lnH >= Math.LN2) return { value: 0, firstUncapturedDegree: null, lnFirstUncapturedDegree: null };
  const start = firstUncaptured(captured);
  const term = (deg: Degree) => Math.exp(logSignEnergy(d, deg)) * -Math.expm1(Math.min(0, captured(deg)));
  // Beyond k* the min is inactive and the term is smooth; the same formula continued below k*
  // (where it turns negative) serves the difference stencils at k* itself.
  const tail: Summand = {
    log: (deg) => logSignEnergy(d, deg) + Math.log(-Math.expm1(captured(deg))),
    value: (deg) => Math.exp(logSignEnergy(d, deg)) * -Math.expm1(captured(deg)),
  };
  const kd = directLimit(d);
  let sum = 0;
  let comp = 0;
  if (start.k <= kd) {
    for (let k = start.k; k <= kd; k += 2) {
      // Neumaier summation: tens of thousands of terms of decreasing size.
      const t = term(degree(k));
      const s = sum + t;
      comp += Math.abs(sum) >= Math.abs(t) ? sum - s + t : t - s + sum;
      sum = s;
    }
  }
  const tailStart = start.k <= kd ? degree(kd + 2) : start;
  const value = 0.5 * (sum + comp + oddTailSum(tail, tailStart, d));
  return {
    value: Math.min(0.5, Math.max(0, value)),
    firstUncapturedDegree: Number.isFinite(start.k) && start.k < TWO_POW_52 ? start.k : null,
    lnFirstUncapturedDegree: start.lnK,
  };
}

/**
 * The first odd degree k with captured(k) < 0, given that captured decreases in k and is
 * eventually negative. Exact (an odd integer) below 2^52; beyond, the crossing point itself,
 * which moves the sum by a relative ≈ 2(d+1)/k* < 1e-12.
 */
function firstUncaptured(captured: (deg: Degree) => number): Degree {
  if (captured(degree(1)) < 0) return degree(1);
  let hi = 1;
  while (captured(degreeFromLog(hi)) >= 0) hi *= 2;
  let lo = hi / 2 > 0.5 ? hi / 2 : 0;
  for (let i = 0; i < 200 && hi - lo > 1e-15 * Math.max(1, hi); i++) {
    const mid = 0.5 * (lo + hi);
    if (captured(degreeFromLog(mid)) >= 0) lo = mid;
    else hi = mid;
  }
  const kCross = Math.exp(hi);
  if (kCross >= TWO_POW_52) return degreeFromLog(hi);
  let k = 2 * Math.ceil((Math.ceil(kCross) - 1) / 2) + 1;
  while (k > 1 && captured(degree(k - 2)) < 0) k -= 2;
  while (captured(degree(k)) >= 0) k += 2;
  return degree(k);
}

/** A summand given both as its logarithm (for overflow-free integrals) and as a value (for stencils). */
interface Summand {
  log: (deg: Degree) => number;
  value: (deg: Degree) => number;
}

/**
 * Σ_{j ≥ 0} F(K + 2j) for a smooth, power-law-decaying F, K ≥ 20d: Euler–Maclaurin with step 2,
 *   ½∫_K^∞ F + ½F(K) − F′(K)/6 + F‴(K)/90,
 * the integral taken over ln k (where the integrand decays like k^{−1} or faster), the derivatives
 * by central differences with steps small against F's scale K/(d+2). The next term is below
 * 1e-12 relative for K ≥ 20d.
 */
function oddTailSum(F: Summand, K: Degree, d: number): number {
  const lnK = K.lnK;
  // In ln k the integrand is F(k)·k, formed in log space (k alone may overflow).
  // 1e-12: the remainders switch formula at some k (rounding-level steps); tighter chases those.
  const integral = integrate((tau) => Math.exp(F.log(degreeFromLog(tau)) + tau), lnK, lnK + 40, {
    relTol: 1e-12,
    breakpoints: [0.25, 0.5, 1, 2, 4, 8, 16, 24, 32].map((x) => lnK + x),
  }).value;
  // Derivatives in k at K: steps h = 0.02·K/(d+2) keep truncation and rounding both below 1e-11.
  const k = K.k;
  if (!Number.isFinite(k) || k > 1e250) {
    // F(k) ~ k^{−s}: the corrections are O(F(K)) and O(F(K)/K), i.e. < 1e-200 relative; drop them.
    return 0.5 * integral + 0.5 * F.value(K);
  }
  const h = (0.02 * k) / (d + 2);
  const f = (x: number) => F.value(degree(x));
  const fm2 = f(k - 2 * h);
  const fm1 = f(k - h);
  const fp1 = f(k + h);
  const fp2 = f(k + 2 * h);
  const d1 = (-fp2 + 8 * fp1 - 8 * fm1 + fm2) / (12 * h);
  const d3 = (fp2 - 2 * fp1 + 2 * fm1 - fm2) / (2 * h * h * h);
  return 0.5 * integral + 0.5 * F.value(K) - d1 / 6 + d3 / 90;
}

/** Σ_{k odd ≥ K} e_k(d) for odd K ≥ 20d + 2001 (by the same tail machinery); for Parseval checks. */
export function signEnergyTail(d: number, K: number): number {
  if (K < directLimit(d)) throw new RangeError(`the tail formula needs K ≥ 20d + 2001 (got ${K})`);
  return oddTailSum(
    { log: (deg) => logSignEnergy(d, deg), value: (deg) => Math.exp(logSignEnergy(d, deg)) },
    degree(K),
    d,
  );
}

export interface HeadsNeeded {
  /** log10 of the least H with LB(d, r, H) ≤ ε. */
  log10MinHeads: number;
  /** That H as an exact decimal integer when it is below 2^53, else null. */
  minHeads: string | null;
  /** LB at that H (≤ ε). */
  lowerBoundAtMinHeads: number;
}

const TWO_POW_53 = 2 ** 53;
const MAX_LOG10_HEADS = 1e7;

/**
 * 3 ≤ d, 1 ≤ r ≤ d, 0 < ε < ½; the least number of rank-r heads the bound allows to reach D_2
 * error ε: bisection on log10 H (LB is non-increasing in H), then on integers when H < 2^53.
 */
export function headsNeeded(d: number, r: number, eps: number): HeadsNeeded {
  if (!(eps > 0 && eps < 0.5)) throw new RangeError(`eps must be in (0, ½) (got ${eps})`);
  const lb = (log10H: number) => rankLowerBound(d, r, log10H).value;
  const at1 = lb(0);
  if (at1 <= eps) return { log10MinHeads: 0, minHeads: '1', lowerBoundAtMinHeads: at1 };
  let lo = 0;
  let hi = 1;
  while (lb(hi) > eps) {
    lo = hi;
    hi *= 2;
    if (hi > MAX_LOG10_HEADS)
      throw new RangeError(`more than 10^${MAX_LOG10_HEADS} heads would be needed for eps=${eps}`);
  }
  if (10 ** hi < TWO_POW_53) {
    // Least integer H with LB ≤ ε: LB(lo) > ε ≥ LB(hi) brackets it.
    let a = Math.floor(10 ** lo);
    let b = Math.ceil(10 ** hi);
    if (lb(Math.log10(a)) <= eps) a = 1;
    while (b - a > 1) {
      const m = Math.floor((a + b) / 2);
      if (lb(Math.log10(m)) <= eps) b = m;
      else a = m;
    }
    return { log10MinHeads: Math.log10(b), minHeads: String(b), lowerBoundAtMinHeads: lb(Math.log10(b)) };
  }
  for (let i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
    const mid = 0.5 * (lo + hi);
    if (lb(mid) <= eps) hi = mid;
    else lo = mid;
  }
  return { log10MinHeads: hi, minHeads: null, lowerBoundAtMinHeads: lb(hi) };
}
