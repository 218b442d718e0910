/**
 * Theorem 2 (arXiv 2407.16153): the computable rank lower bound LB(d, r, H) and the exact rank-1
 * constructions that sit above it. The properties, each with the sentinel variants it must
 * reject. Run by vitest (theorem-2.property.ts) at the quick budget and by `rankcheck verify`.
 */
import fc from 'fast-check';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { defineProperty, propertyCheck } from '../../src/audit/property-check.js';
import type { CheckDef } from '../../src/core/vocabulary.js';
import { integrate } from '../../src/core/quadrature.js';
import { Rng } from '../../src/core/rng.js';
import { logGamma } from '../../src/core/special.js';
import { sampleSphere } from '../../src/core/sphere.js';
import type { Rank1Heads } from '../../src/theory/arcsin-kernel.js';
import {
  degree,
  logCapturedFraction,
  logHarmonicDimension,
  logProjectedDimension,
  logSignEnergy,
  normalisedGegenbauer,
} from '../../src/theory/harmonics.js';
import { rankLowerBound, signEnergyTail } from '../../src/theory/rank-bound.js';
import {
  constructionError,
  equallySpacedHeads2,
  equallySpacedHeads3,
  optimiseHeads,
} from '../../src/theory/rank1-construction.js';
import { randomRank1Heads } from '../../src/theory/head-distributions.js';
import { uniformReal } from '../support/real-arbitraries.js';

// Half the cases at H ≤ 1e6, where the bound moves for every d; half across the whole range.
const log10HeadsArb = fc.oneof(uniformReal(0, 6), uniformReal(0, 300));

// ---------------------------------------------------------------------------------------------
// Sentinel implementations.

/** SENTINEL factor: a bound overstated by 50%. */
export const INFLATED_BOUND_FACTOR = 1.5;

/**
 * SENTINEL: ln e_k normalised with the density of the wrong dimension (c_{d+1} for c_d), a classic
 * off-by-one in (1 − t²)^{(d−3)/2}: the energies no longer sum to 1.
 */
export function wrongNormaliserLogEnergy(d: number, k: number): number {
  const logC = (dd: number) => logGamma(dd / 2) - 0.5 * Math.log(Math.PI) - logGamma((dd - 1) / 2);
  return logSignEnergy(d, degree(k)) - logC(d) + logC(d + 1);
}

/** SENTINEL: the bound without the cap min(1, ·): it lets one head capture more than everything. */
function uncappedBound(d: number, r: number, log10H: number): number {
  if (log10H === -Infinity) return 0.5;
  if (r >= d) return 0;
  let s = 0;
  for (let k = 1; k < 4001; k += 2) {
    s +=
      Math.exp(logSignEnergy(d, degree(k))) * (1 - Math.exp(log10H * Math.LN10 + logCapturedFraction(d, r, degree(k))));
  }
  return s / 2;
}

/**
 * SENTINEL: ln M'(r,k), M' = C(k+r−2, r−1), the projected count with k shifted down by one. It is 1
 * at r = 1 for every k, like the true count, so only rank ≥ 2 can tell them apart.
 */
export function shiftedLogProjectedDimension(r: number, k: number): number {
  return logGamma(k + r - 1) - logGamma(k) - logGamma(r);
}

// ---------------------------------------------------------------------------------------------
// 1. The energies e_k of sign(t).

/** SENTINEL factor: the Euler–Maclaurin tail overstated by one part in a million. */
const TAIL_OFF_FACTOR = 1 + 1e-6;

// The Parseval reference uses neither the bound's tail formula nor any asymptotic constant: only
// partial sums S(N) = Σ_{k odd < N} e_k, extrapolated to N = ∞. Why that works: e_k is a ratio of
// Gamma functions, e_k = C_d k^{−2} (1 + a_1/k + a_2/k² + …) with an asymptotic series in 1/k
// (measured: the local slope of ln e_k against ln k is −2 + 0.95(d−2)/k, tending to −2 as 1/k:
// −1.953, −1.995, −1.9995 at k = 20d, 200d, 2000d for d = 100 … 4096; exactly −2 at d = 2), so
// by Euler–Maclaurin the tail T(N) = Σ_{k odd > N} e_k is a power series in 1/N without a constant
// term, and S(N) is a polynomial in 1/N plus a remainder that shrinks with each order by ≈ d/N.
// Richardson elimination at ratio 2 confirms it: at d = 4096 the miss of Σ = 1 from 2, 3, 4 nodes is
// 4.5e-6, 4.0e-8, 2.1e-10. Seven nodes N_0·{1, 1.5, 2, 3, 4, 6, 8} (N_0 = 20d + 2000) reach the
// rounding floor: their extrapolation differs from nine nodes (to 16 N_0) by at most 3.9e-14 over
// 28 d in [2, 4096]; the Lagrange weights sum to 121 in magnitude, so sum rounding stays ≲ 1e-14.
// Summing to 8 N_0 costs ≈ 0.1 s at d = 4096 and ≈ 1.4 s for the 25 quick cases.
const PARSEVAL_NODES = [1, 1.5, 2, 3, 4, 6, 8];

/** Nodes N (even), partial sums S(N) = Σ_{k odd < N} e_k; the value at 1/N = 0 of the polynomial in 1/N through them. */
function extrapolateToInfinity(nodes: number[], sums: number[]): number {
  let value = 0;
  for (let j = 0; j < nodes.length; j++) {
    let weight = 1;
    for (let i = 0; i < nodes.length; i++) if (i !== j) weight *= 1 / nodes[i] / (1 / nodes[i] - 1 / nodes[j]);
    value += weight * sums[j];
  }
  return value;
}

// Over 150 random d in [2, 4096] the extrapolated sum misses 1 by at most 6.3e-12 (d = 2869): not
// the extrapolation (above) but the energies themselves, a constant factor off by the rounding of
// ln c_d and ln Γ at arguments ≈ d/2 (≈ 1e-16 × 10⁴). 1e-10 keeps a decade above it; the sentinel's
// factor c_{d+1}/c_d misses by ≥ 1e-4. The bound's tail formula against the extrapolated tail
// S(∞) − S(N_0) (same energies, so their common factor cancels): at most 6.8e-11 relative, the
// tail being ≈ 3e-4 and the sums rounding at ≈ 2e-14; 1e-8 leaves two decades, and 'tail-off'
// (one part in 1e6) sits two decades beyond.
const PARSEVAL_TOLERANCE = 1e-10;
const TAIL_TOLERANCE = 1e-8;

const parseval = defineProperty({
  name: 'parseval',
  kind: 'exact',
  description:
    'Partial sums of the energies e_k strictly increase and, extrapolated to infinitely many terms by Richardson in 1/N (a reference independent of the bound’s Euler–Maclaurin tail), make 1 to 1e-10; the bound’s tail formula matches the extrapolated tail to 1e-8 relative; 2 ≤ d ≤ 4096.',
  runs: { quick: 25, standard: 100, paper: 400 },
  margin: { observation: 'log10Headroom', unit: 'decades between the miss of Σ e_k = 1 and its 1e-10 tolerance' },
  sentinels: {
    'wrong-normaliser': 'energies normalised with the density of dimension d+1 (an off-by-one in the weight)',
    'tail-off': `the bound’s Euler–Maclaurin tail overstated ×(1 + ${TAIL_OFF_FACTOR - 1})`,
  },
  property: (sentinel, _budget, observe) =>
    fc.property(fc.integer({ min: 2, max: 4096 }), (d) => {
      const n0 = 20 * d + 2000;
      const nodes = PARSEVAL_NODES.map((x) => 2 * Math.round((x * n0) / 2));
      const logE = (k: number) =>
        sentinel === 'wrong-normaliser' ? wrongNormaliserLogEnergy(d, k) : logSignEnergy(d, degree(k));
      const sums: number[] = [];
      let partial = 0;
      let comp = 0;
      for (let k = 1; sums.length < nodes.length; k += 2) {
        if (k > nodes[sums.length]) {
          sums.push(partial + comp);
          if (sums.length === nodes.length) break;
        }
        const e = Math.exp(logE(k));
        if (!(e > 0) || partial + e <= partial) return false;
        // Neumaier summation: 4N_0 ≈ 80d + 8000 terms, and the extrapolation needs the sums to ≈ 1e-15.
        const s = partial + e;
        comp += Math.abs(partial) >= e ? partial - s + e : e - s + partial;
        partial = s;
      }
      const total = extrapolateToInfinity(nodes, sums);
      const miss = Math.abs(total - 1);
      // The tail from k = N_0 + 1 = 20d + 2001 on, the first degree the bound leaves to its formula.
      const tailFormula = signEnergyTail(d, n0 + 1) * (sentinel === 'tail-off' ? TAIL_OFF_FACTOR : 1);
      const tailReference = total - sums[0];
      const tailMiss = Math.abs(tailFormula / tailReference - 1);
      observe({
        log10Headroom: Math.log10(PARSEVAL_TOLERANCE / Math.max(miss, 1e-300)),
        log10TailHeadroom: Math.log10(TAIL_TOLERANCE / Math.max(tailMiss, 1e-300)),
      });
      return sums[sums.length - 1] < 1 && miss < PARSEVAL_TOLERANCE && tailMiss < TAIL_TOLERANCE;
    }),
});

const energiesMatchQuadrature = defineProperty({
  name: 'energies-match-quadrature',
  kind: 'exact',
  description:
    'The closed-form e_1 … e_9 equal an independent quadrature of N(d,k)·⟨sign, P_k⟩² to 1e-9 relative, 3 ≤ d ≤ 256.',
  runs: { quick: 60, standard: 300, paper: 1000 },
  sentinels: { 'wrong-normaliser': 'the same wrongly normalised energies, against quadrature' },
  property: (sentinel) =>
    fc.property(fc.integer({ min: 3, max: 256 }), fc.constantFrom(1, 3, 5, 7, 9), (d, k) => {
      // s_k = E[sign(t) P_k(t)] = ∫_0^{π/2} P_k(sin θ) cos^{d−2}θ dθ / ∫_0^{π/2} cos^{d−2}θ dθ (P_k odd).
      const weight = (th: number) => Math.pow(Math.cos(th), d - 2);
      const z = integrate(weight, 0, Math.PI / 2, { relTol: 1e-14 }).value;
      const num = integrate((th) => normalisedGegenbauer(d, Math.sin(th), k)[k] * weight(th), 0, Math.PI / 2, {
        relTol: 1e-14,
      }).value;
      const direct = Math.exp(logHarmonicDimension(d, k)) * (num / z) ** 2;
      const closed = sentinel === 'wrong-normaliser' ? wrongNormaliserLogEnergy(d, k) : logSignEnergy(d, degree(k));
      return Math.abs(direct / Math.exp(closed) - 1) < 1e-9;
    }),
});

/** The (d, r, odd k) with 2 ≤ r < d ≤ 6, k ≤ 7 and N(d,k) ≤ 250: Gram matrices of at most 265 rows. */
const gramRankCases: [number, number, number][] = [];
for (let d = 3; d <= 6; d++) {
  for (let r = 2; r < d; r++) {
    for (let k = 1; k <= 7; k += 2) {
      if (Math.exp(logHarmonicDimension(d, k)) <= 250.5) gramRankCases.push([d, r, k]);
    }
  }
}

/**
 * 1 ≤ m ≤ d, k ≥ 1; the eigenvalue magnitudes, largest first, of P_k(⟨w_i, w_j⟩) for n points w_i
 * uniform on the unit sphere of the first m coordinates of R^d.
 */
function zonalGramSpectrum(rng: Rng, d: number, m: number, k: number, n: number): number[] {
  const w = new Float64Array(n * d);
  for (let i = 0; i < n; i++) sampleSphere(rng, m, w, i * d);
  const g = new Matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let t = 0;
      for (let q = 0; q < m; q++) t += w[i * d + q] * w[j * d + q];
      const p = normalisedGegenbauer(d, Math.min(1, Math.max(-1, t)), k)[k];
      g.set(i, j, p);
      g.set(j, i, p);
    }
  }
  // G is positive semi-definite (P_k is the reproducing kernel of H_k up to a positive factor);
  // negative eigenvalues are rounding, so their size is what matters.
  const ev = new EigenvalueDecomposition(g, { assumeSymmetric: true }).realEigenvalues;
  return ev.map(Math.abs).sort((a, b) => b - a);
}

// Measured over 150 draws of every case (n = count + 15): the largest "zero" eigenvalue is at most
// 2.2e-15 × the largest, the smallest nonzero one at least 1.5e-5 × the largest (the worst is
// (d, r, k) = (5, 4, 7), M = 120). The cut sits in the ten empty decades between, three decades
// from each side.
const ZERO_BELOW = 1e-12;
const NONZERO_ABOVE = 1e-8;

/**
 * The numerical rank of a spectrum (largest first), or null when some eigenvalue falls in the
 * no-man's-land between the two thresholds and the rank is not clear-cut.
 */
function clearRank(spectrum: number[]): number | null {
  const top = spectrum[0];
  const rank = spectrum.filter((v) => v > NONZERO_ABOVE * top).length;
  return spectrum.every((v) => v > NONZERO_ABOVE * top || v < ZERO_BELOW * top) ? rank : null;
}

const harmonicCountsByGramRank = defineProperty({
  name: 'harmonic-counts-by-gram-rank',
  kind: 'exact',
  description:
    'N(d,k) and M(r,k) equal the ranks of the Gram matrices of P_k(⟨w_i, w_j⟩) over random points of the sphere and of an r-dimensional subspace (a clear spectral gap, 1e-12 against 1e-8 of the largest eigenvalue), and M/N the captured fraction to 1e-12 relative; 2 ≤ r < d ≤ 6, odd k ≤ 7.',
  runs: { quick: 20, standard: 60, paper: 200 },
  margin: {
    observation: 'log10Headroom',
    unit: 'decades between the claimed count’s last nonzero or first zero eigenvalue and the nearer threshold (0 is the tolerance)',
  },
  sentinels: {
    'projected-count-shifted':
      'the projected count C(k+r−2, r−1) (right at r = 1, wrong at r ≥ 2) and the captured fraction built from it',
  },
  property: (sentinel, _budget, observe) =>
    fc.property(fc.constantFrom(...gramRankCases), fc.integer({ min: 0, max: 2 ** 31 - 1 }), ([d, r, k], seed) => {
      const logN = logHarmonicDimension(d, k);
      const logM =
        sentinel === 'projected-count-shifted' ? shiftedLogProjectedDimension(r, k) : logProjectedDimension(r, k);
      const fraction = Math.exp(logCapturedFraction(d, r, degree(k)) + logM - logProjectedDimension(r, k));
      const n = Math.round(Math.exp(logN));
      const m = Math.round(Math.exp(logM));
      // Generic points span the whole space, so with 15 points beyond the claimed count the
      // measured rank is min(points, true count): it equals the claim only when the claim is true.
      const rng = Rng.fromSeed(seed);
      const spectra = [
        zonalGramSpectrum(rng.split(0), d, d, k, n + 15),
        zonalGramSpectrum(rng.split(1), d, r, k, m + 15),
      ];
      for (const [s, count] of [
        [spectra[0], n],
        [spectra[1], m],
      ] as const) {
        const zero = s[count] / s[0];
        const nonzero = s[count - 1] / s[0];
        observe({
          log10Headroom: Math.min(Math.log10(nonzero / NONZERO_ABOVE), Math.log10(ZERO_BELOW / Math.max(zero, 1e-300))),
        });
      }
      const rankN = clearRank(spectra[0]);
      const rankM = clearRank(spectra[1]);
      if (rankN === null || rankM === null) return false;
      // logCapturedFraction is accurate to ≈ 1e-13 absolute in the log, so 1e-12 relative leaves a decade.
      return rankN === n && rankM === m && Math.abs(fraction / (rankM / rankN) - 1) < 1e-12;
    }),
});

// ---------------------------------------------------------------------------------------------
// 2. Shape of the bound.

const boundShape = defineProperty({
  name: 'bound-shape',
  kind: 'exact',
  description:
    'LB lies in [0, ½], is ½ at H = 0 and 0 at r = d, and is non-increasing in H and in r (3 ≤ d ≤ 256; log₁₀ H uniform on [0, 6] for half the cases and on [0, 300] for the rest).',
  runs: { quick: 150, standard: 600, paper: 2500 },
  sentinels: { uncapped: 'the bound without its cap min(1, H·M/N)' },
  property: (sentinel) =>
    fc.property(
      fc.integer({ min: 3, max: 256 }),
      fc.integer({ min: 1, max: 256 }),
      log10HeadsArb,
      log10HeadsArb,
      (d, rRaw, h1, h2) => {
        const lb =
          sentinel === 'uncapped'
            ? uncappedBound
            : (dd: number, r: number, h: number) => rankLowerBound(dd, r, h).value;
        const r = 1 + ((rRaw - 1) % d);
        const [lo, hi] = h1 <= h2 ? [h1, h2] : [h2, h1];
        const a = lb(d, r, lo);
        const b = lb(d, r, hi);
        const inRange = [a, b].every((v) => v >= 0 && v <= 0.5);
        // 1e-13 absorbs rounding between evaluations that are mathematically equal.
        const monotoneH = b <= a + 1e-13;
        const monotoneR = r === d || lb(d, r + 1, lo) <= a + 1e-13;
        return inRange && monotoneH && monotoneR && lb(d, r, -Infinity) === 0.5 && lb(d, d, lo) === 0;
      },
    ),
});

// ---------------------------------------------------------------------------------------------
// 3. No construction beats the bound.

type Family = 'random' | 'optimised' | 'spaced-2' | 'spaced-3';
const familyArb = fc.constantFrom<Family>('random', 'optimised', 'spaced-2', 'spaced-3');

function headsOf(family: Family, d: number, H: number, seed: number): Rank1Heads {
  switch (family) {
    case 'random':
      return randomRank1Heads(Rng.fromSeed(seed), d, H, 'bisector');
    case 'optimised':
      return optimiseHeads(randomRank1Heads(Rng.fromSeed(seed), d, H, 'aligned'), 6).heads;
    case 'spaced-2':
      return equallySpacedHeads2(H);
    case 'spaced-3':
      return equallySpacedHeads3(H);
  }
}

const noConstructionBeatsBound = defineProperty({
  name: 'no-construction-beats-bound',
  kind: 'exact',
  description:
    'No rank-1 hardmax construction — random heads, heads optimised by gradient steps on the exact error, or evenly spread heads in d = 2, 3 — has D_2 error below LB(d, 1, H). It also reports smallestRelativeExcess, the least (error − LB)/LB over cases with LB > 0: the smallest relative inflation of the bound this check would catch.',
  runs: { quick: 60, standard: 250, paper: 1000 },
  margin: {
    observation: 'smallestGap',
    unit: 'D_2 error of the construction minus the bound, smallest over cases (−1e-9 is the tolerance)',
  },
  sentinels: { inflated: `the bound overstated ×${INFLATED_BOUND_FACTOR}: some construction must beat it` },
  property: (sentinel, _budget, observe) =>
    fc.property(
      familyArb,
      fc.integer({ min: 3, max: 12 }),
      fc.integer({ min: 1, max: 48 }),
      fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      (family, dRaw, HRaw, seed) => {
        const d =
          family === 'spaced-2' ? 2 : family === 'spaced-3' ? 3 : family === 'optimised' ? 3 + (dRaw % 3) : dRaw;
        const H = family === 'optimised' ? 1 + (HRaw % 4) : HRaw;
        const error = constructionError(headsOf(family, d, H, seed)).error;
        const bound = rankLowerBound(d, 1, Math.log10(H)).value * (sentinel === 'inflated' ? INFLATED_BOUND_FACTOR : 1);
        // An inflation ×(1 + x) of the bound is caught exactly when some case has x above its
        // relative excess, so the least excess is the check's resolution. At the quick budget it
        // was 0.28–0.42 over fast-check seeds 0–15 (max 0.416 at seed 7): ×1.5 is caught at every
        // one, an inflation below 28% at none. Where the bound is 0 (d = 2, H ≥ 2) no inflation
        // of it can be seen: those cases do not count.
        observe(
          bound > 0
            ? { smallestGap: error - bound, smallestRelativeExcess: (error - bound) / bound }
            : { smallestGap: error - bound },
        );
        // The solver's error is accurate to ≈ 1e-12, the bound to ≈ 1e-10 relative.
        return error >= bound - 1e-9;
      },
    ),
});

/** Theorem 2's property checks, in report order. */
export const THEOREM2_PROPERTY_CHECKS: CheckDef[] = [
  propertyCheck(parseval),
  propertyCheck(energiesMatchQuadrature),
  propertyCheck(harmonicCountsByGramRank),
  propertyCheck(boundShape),
  propertyCheck(noConstructionBeatsBound),
];
