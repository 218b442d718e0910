/**
 * The agreement of a rank-1 hardmax head with the nearest-neighbour target on D_2.
 *
 * Head (q, k) picks x_1 iff ⟨q, y⟩⟨k, x_1 − x_2⟩ > 0, i.e. iff sign⟨q,y⟩ = sign⟨k,w⟩ with
 * w = (x_1 − x_2)/√2; the target picks x_1 iff ⟨w, y⟩ > 0. With y, w independent and uniform,
 *
 *   b = Pr[agree] = ½ + ½ E[sign⟨q,y⟩ sign⟨y,w⟩ sign⟨w,k⟩] = ½ + ½ Σ_{n odd} e_n s_n P_n(⟨q,k⟩),
 *
 * by Funk–Hecke applied twice (proofs-notes/theorem-2.md). It depends on the angle between q and
 * k only. The terms decay like n^{−(d+4)/2}, so the series is summed until its tail is < 1e-11.
 */
import { degree, logSignEnergy, normalisedGegenbauer, signCoefficient } from './harmonics.js';

// A pure function of d: at most one entry per dimension used (d ≤ 4096 by every caller's domain).
const seriesCache = new Map<number, Float64Array>();

/** d ≥ 2; the coefficients c_n = e_n·s_n (index n, zero for even n) up to where the tail is negligible. */
export function agreementCoefficients(d: number): Float64Array {
  const cached = seriesCache.get(d);
  if (cached) return cached;
  const coeffs: number[] = [0];
  for (let n = 1; ; n++) {
    if (n % 2 === 0) {
      coeffs.push(0);
      continue;
    }
    const c = Math.exp(logSignEnergy(d, degree(n))) * signCoefficient(d, n);
    coeffs.push(c);
    // |c_n| ~ n^{−s} with s ≥ 3 (d = 2 is the slowest), so Σ_{m>n} |c_m| ≤ n|c_n|/(s−1) ≤ n|c_n|/2.
    if (n > 8 && (n * Math.abs(c)) / 2 < 1e-11) break;
    if (n > 2_000_000) throw new Error(`agreement series for d=${d} did not converge`);
  }
  const arr = Float64Array.from(coeffs);
  seriesCache.set(d, arr);
  return arr;
}

/** d ≥ 2, −1 ≤ cosAngle ≤ 1 (⟨q,k⟩ of unit vectors); returns b = Pr[the head agrees with the target] (accuracy ≈ 1e-10). */
export function agreementProbability(d: number, cosAngle: number): number {
  const c = agreementCoefficients(d);
  const t = Math.max(-1, Math.min(1, cosAngle));
  const p = normalisedGegenbauer(d, t, c.length - 1);
  let s = 0;
  for (let n = c.length - 1; n >= 1; n -= 2) s += c[n] * p[n];
  return 0.5 + 0.5 * s;
}
