/**
 * Special functions in float64, written from their defining series and continued fractions so
 * that every constant is derivable (no memorised rational-approximation coefficients).
 * Accuracy is tested against SciPy/mpmath reference values in test/core/special.test.ts.
 */

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

// Stirling-series coefficients B_{2k} / (2k (2k−1)) for k = 1..7.
const STIRLING = [1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156];

/** x > 0; returns ln Γ(x) with absolute error ≈ 1e-15 · max(1, |ln Γ(x)|). */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma needs x > 0 (got ${x})`);
  // Shift to x ≥ 15, where the Stirling series truncated after 7 terms is below 1e-17.
  // At most 15 factors, each below 15, so the product cannot overflow; for tiny x it is ≈ x.
  let shifted = false;
  let prod = 1;
  while (x < 15) {
    prod *= x;
    x += 1;
    shifted = true;
  }
  const stirling = (x - 0.5) * Math.log(x) - x + LOG_SQRT_2PI + stirlingSeries(x);
  return shifted ? stirling - Math.log(prod) : stirling;
}

/** x ≥ 15; ln Γ(x) − [(x−½)ln x − x + ½ln 2π], the Stirling series (below 1e-17 truncation error). */
function stirlingSeries(x: number): number {
  const inv = 1 / x;
  const inv2 = inv * inv;
  let series = 0;
  let p = inv;
  for (const c of STIRLING) {
    series += c * p;
    p *= inv2;
  }
  return series;
}

/**
 * z > 0 (z may be +∞ when lnZ is given), z + a > 0, z + b > 0; returns
 * ln Γ(z+a) − ln Γ(z+b) − (a−b)·ln z with absolute error ≈ 1e-15·(1 + |a| + |b|)·ln(2 + |a|/z),
 * also when z is astronomically large (where the plain difference of ln Γ would lose every digit).
 * lnZ = ln z is passed separately so that callers can work with z beyond the double range.
 */
export function logGammaRatioRemainder(z: number, lnZ: number, a: number, b: number): number {
  if (a === b) return 0;
  const big = 1 + Math.abs(a) + Math.abs(b);
  if (lnZ > 35 + 2 * Math.log(big)) {
    // Asymptotic series in 1/z: Σ_n (−1)^{n+1} [B_{n+1}(a) − B_{n+1}(b)] / (n(n+1) z^n); two terms
    // leave an error below (|a|+|b|)^4 / z^3 < 1e-40.
    const inv = Math.exp(-lnZ);
    const b2 = (x: number) => x * x - x + 1 / 6;
    const b3 = (x: number) => x * x * x - 1.5 * x * x + 0.5 * x;
    return ((b2(a) - b2(b)) / 2) * inv - ((b3(a) - b3(b)) / 6) * inv * inv;
  }
  if (z + Math.min(a, b) >= 15) {
    // Stirling for both, with ln(z+a) = ln z + log1p(a/z): the (a−b)·ln z part cancels exactly.
    const la = Math.log1p(a / z);
    const lb = Math.log1p(b / z);
    return (z + a - 0.5) * la - (z + b - 0.5) * lb - (a - b) + stirlingSeries(z + a) - stirlingSeries(z + b);
  }
  return logGamma(z + a) - logGamma(z + b) - (a - b) * lnZ;
}

/** 0 ≤ k ≤ n (reals allowed); returns ln C(n, k) via log-gamma. */
export function logBinomial(n: number, k: number): number {
  if (k < 0 || k > n) return -Infinity;
  if (k === 0 || k === n) return 0;
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/** ln(e^a + e^b) without overflow. */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log1p(Math.exp(-Math.abs(a - b)));
}

/** ln(e^a − e^b) for a ≥ b; −∞ when equal. */
export function logSubExp(a: number, b: number): number {
  if (b > a) throw new RangeError('logSubExp needs a ≥ b');
  if (b === -Infinity) return a;
  if (a === b) return -Infinity;
  return a + Math.log(-Math.expm1(b - a));
}

const EPS = 2.220446049250313e-16;
const TINY = 1e-300;

/** a > 0, x ≥ 0; returns the regularized lower incomplete gamma P(a, x) and upper Q = 1 − P. */
export function incompleteGamma(a: number, x: number): { p: number; q: number } {
  if (!(a > 0) || !(x >= 0)) throw new RangeError(`incompleteGamma(a=${a}, x=${x})`);
  if (x === 0) return { p: 0, q: 1 };
  const logPrefix = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    // Power series: P = x^a e^{-x} / Γ(a+1) · Σ x^n / ((a+1)…(a+n)).
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPS) break;
    }
    const p = Math.exp(logPrefix) * sum;
    return { p, q: 1 - p };
  }
  // Continued fraction for Q (modified Lentz).
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  const q = Math.exp(logPrefix) * h;
  return { p: 1 - q, q };
}

/** Complementary error function erfc(x) = Q(½, x²) for x ≥ 0, full relative accuracy in the tail. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x === 0) return 1;
  return incompleteGamma(0.5, x * x).q;
}

/** Standard normal CDF Φ(x), accurate in both tails. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** 0 < p < 1; returns Φ⁻¹(p) by safeguarded Newton iteration on Φ (relative accuracy ≈ 1e-14). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile needs 0 < p < 1 (got ${p})`);
  if (p === 0.5) return 0;
  // Work in the lower tail for accuracy; Φ⁻¹(p) = −Φ⁻¹(1−p).
  const lower = p < 0.5;
  const q = lower ? p : 1 - p;
  // Start from the tail asymptote t − (ln t + ln 2π… ) – good enough to seed Newton.
  const t = Math.sqrt(-2 * Math.log(q));
  let x = -(
    t -
    (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t)
  );
  let lo = -40;
  let hi = 0;
  for (let i = 0; i < 100; i++) {
    const f = normalCdf(x) - q;
    if (f > 0) hi = Math.min(hi, x);
    else lo = Math.max(lo, x);
    const density = Math.exp(-0.5 * x * x - LOG_SQRT_2PI);
    let next = x - f / density;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - x) <= 1e-15 * Math.max(1, Math.abs(x))) {
      x = next;
      break;
    }
    x = next;
  }
  return lower ? x : -x;
}

/** df > 0; returns P(T ≤ t) for Student's t with `df` degrees of freedom (through the incomplete beta). */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`studentTCdf needs df > 0 (got ${df})`);
  if (Number.isNaN(t)) return NaN;
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/**
 * 0 < p < 1, df > 0; returns the p-quantile of Student's t by bisection on studentTCdf, to the
 * last bit (the CDF is monotone, so bisection cannot fail; speed does not matter here).
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`studentTQuantile needs 0 < p < 1 (got ${p})`);
  if (!(df > 0)) throw new RangeError(`studentTQuantile needs df > 0 (got ${df})`);
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
    const mid = 0.5 * (lo + hi);
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** a, b > 0, 0 ≤ x ≤ 1; returns the regularized incomplete beta I_x(a, b) (continued fraction). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0) || !(x >= 0 && x <= 1)) throw new RangeError(`incompleteBeta(x=${x}, a=${a}, b=${b})`);
  if (x === 0) return 0;
  if (x === 1) return 1;
  const logFront = a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b);
  // The continued fraction converges fast for x < (a+1)/(a+b+2); use the symmetry otherwise.
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betaContinuedFraction(x, a, b)) / a;
  return 1 - (Math.exp(logFront) * betaContinuedFraction(1 - x, b, a)) / b;
}

/** ln B(a, b) for a, b > 0. */
export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  // Modified Lentz evaluation of the standard continued fraction for I_x(a,b).
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < 10000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return h;
}

/**
 * λ ≥ 0; returns the Kolmogorov survival function P(K > λ) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²λ²},
 * the limit law of √n·D_n under the null.
 */
export function kolmogorovSurvival(lambda: number): number {
  if (lambda <= 0) return 1;
  if (lambda < 0.2) return 1; // the series is 1 − O(e^{−π²/(8λ²)}) ≈ 1 − 1e-53 here
  let sum = 0;
  for (let k = 1; k <= 200; k++) {
    const term = Math.exp(-2 * k * k * lambda * lambda);
    sum += (k % 2 === 1 ? 1 : -1) * term;
    if (term < 1e-18) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}
