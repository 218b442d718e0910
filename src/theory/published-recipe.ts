/**
 * The random-features error as the paper's released script computes it, beside the exact error
 * of the same heads, and each of the script's departures from the exact computation on its own.
 *
 * The released script (theory_experiments/optim_weight_linsolve.py of the authors' repository)
 * draws its heads as head-distributions.ts's 'paper' (so ‖k‖ < 1), and then
 *   b_h = float16(series₅₀(⟨q_h, k_h⟩)): the agreement at the nominal angle θ, from the first 50
 *         terms (degrees 0 … 49) of its Gegenbauer expansion, rounded to half precision;
 *   C = ½ + (2/π²)·arcsin(QQᵀ)∘arcsin(KKᵀ) with the raw, non-unit keys (so C_hh < 1);
 *   a = SciPy's conjugate gradients on C a = b from 0, stopping at ‖r‖ < 10⁻⁵‖b‖;
 *   published error = 1 − 2aᵀb + aᵀCa with that b and C.
 * A hardmax head's choice depends only on the directions of q and k, so the heads are the unit
 * heads; the exact error is 1 − bᵀC⁻¹b with their kernel and agreements (arcsin-kernel.ts,
 * agreement.ts). Derivation and measured effect sizes: proofs-notes/random-features.md.
 */
import { refinedSolver } from '../core/linalg/cholesky.js';
import { dot } from '../core/vector.js';
import { agreementCoefficients, agreementProbability } from './agreement.js';
import { kernelMatrix } from './kernel-tiles.js';
import { normalisedGegenbauer } from './harmonics.js';
import { unitHeads, type RawHeads } from './rank1-heads.js';

/** Terms of the script's Gegenbauer series for b (HeadVsTarget(dim, 50): degrees 0 … 49). */
export const PUBLISHED_SERIES_TERMS = 50;
/** SciPy's default relative tolerance of `scipy.sparse.linalg.cg`. */
export const SCIPY_CG_RTOL = 1e-5;

/** x finite; x rounded to IEEE half precision (11 significant bits, ties to even; ±Infinity above 65504). */
export function roundToFloat16(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const a = Math.abs(x);
  if (a >= 65520) return Math.sign(x) * Infinity;
  // Below 2⁻¹⁴ the half-precision numbers are the subnormal multiples of 2⁻²⁴.
  const exponent = Math.max(Math.floor(Math.log2(a)), -14);
  const ulp = 2 ** (exponent - 10);
  const m = a / ulp;
  let r = Math.round(m);
  if (r - m === 0.5 && r % 2 !== 0) r -= 1; // Math.round rounds .5 up; half precision rounds to even
  return Math.sign(x) * r * ulp;
}

/** d ≥ 2, |t| ≤ 1, terms ≥ 1; the agreement b(t) from its Gegenbauer series cut after degree terms − 1. */
export function truncatedAgreement(d: number, t: number, terms = PUBLISHED_SERIES_TERMS): number {
  const c = agreementCoefficients(d);
  const top = Math.min(terms - 1, c.length - 1);
  const p = normalisedGegenbauer(d, Math.max(-1, Math.min(1, t)), top);
  let s = 0;
  for (let n = top % 2 === 1 ? top : top - 1; n >= 1; n -= 2) s += c[n] * p[n];
  return 0.5 + 0.5 * s;
}

/** The H×H matrix ½ + (2/π²)·arcsin(clip(QQᵀ))∘arcsin(clip(KKᵀ)) of the vectors exactly as given. */
export function rawKernelMatrix(raw: RawHeads): Float64Array {
  const { d, count: H, q, k } = raw;
  const C = new Float64Array(H * H);
  const clip = (x: number) => Math.max(-1, Math.min(1, x));
  for (let i = 0; i < H; i++)
    for (let j = 0; j <= i; j++) {
      const v =
        0.5 +
        (2 / (Math.PI * Math.PI)) *
          Math.asin(clip(dot(q, i * d, q, j * d, d))) *
          Math.asin(clip(dot(k, i * d, k, j * d, d)));
      C[i * H + j] = v;
      C[j * H + i] = v;
    }
  return C;
}

/**
 * C symmetric positive definite (n×n); conjugate gradients from x = 0 as SciPy's
 * `scipy.sparse.linalg.cg` runs them with its defaults: at most 10n iterations, stopping as soon
 * as ‖r‖₂ < rtol·‖b‖₂ (checked before each iteration). Returns the iterate and the iterations.
 */
export function scipyConjugateGradients(
  C: Float64Array,
  n: number,
  b: Float64Array,
  rtol = SCIPY_CG_RTOL,
): { x: Float64Array; iterations: number } {
  const x = new Float64Array(n);
  const r = Float64Array.from(b);
  const p = new Float64Array(n);
  const Cp = new Float64Array(n);
  const stop = rtol * Math.sqrt(dot(b, 0, b, 0, n));
  let rhoPrev = 0;
  for (let it = 0; it < 10 * n; it++) {
    if (Math.sqrt(dot(r, 0, r, 0, n)) < stop) return { x, iterations: it };
    const rho = dot(r, 0, r, 0, n);
    if (it === 0) p.set(r);
    else {
      const beta = rho / rhoPrev;
      for (let i = 0; i < n; i++) p[i] = r[i] + beta * p[i];
    }
    for (let i = 0; i < n; i++) Cp[i] = dot(C, i * n, p, 0, n);
    const alpha = rho / dot(p, 0, Cp, 0, n);
    for (let i = 0; i < n; i++) {
      x[i] += alpha * p[i];
      r[i] -= alpha * Cp[i];
    }
    rhoPrev = rho;
  }
  return { x, iterations: 10 * n };
}

/** 1 − 2aᵀb + aᵀCa for a dense C (n×n). */
export function quadraticError(C: Float64Array, n: number, b: ArrayLike<number>, a: Float64Array): number {
  let ab = 0;
  let aCa = 0;
  for (let i = 0; i < n; i++) {
    ab += a[i] * b[i];
    aCa += a[i] * dot(C, i * n, a, 0, n);
  }
  return 1 - 2 * ab + aCa;
}

/** A dense PSD solver for one matrix and many right-hand sides: one Cholesky, refined to ≈ 1e-13 relative. */
function denseSolver(C: Float64Array, n: number): (b: Float64Array) => Float64Array {
  const solve = refinedSolver(C, n);
  return (b) => solve(b, 1e-13 * Math.sqrt(dot(b, 0, b, 0, n)), 3).x;
}

/** The script's departures from the exact computation, each of which `causes` applies alone. */
export const DEPARTURES = ['rawKeysInC', 'nominalAngle', 'truncatedSeries', 'float16', 'cgTolerance'] as const;
export type Departure = (typeof DEPARTURES)[number];

export interface PublishedComparison {
  d: number;
  heads: number;
  /** The script's number: 1 − 2aᵀb + aᵀCa with its b, its C and its CG weights a. */
  publishedError: number;
  /** 1 − bᵀC⁻¹b of the same heads (unit directions, exact b, float64, direct solve). */
  exactError: number;
  /** The true D_2 error of the weights the script fits (exact b and C, the script's a). */
  publishedWeightsTrueError: number;
  /** The script's CG weights a. */
  publishedWeights: Float64Array;
  /** The optimal weights C⁻¹b of the unit heads. */
  exactWeights: Float64Array;
  cgIterations: number;
  /** The script's number recomputed with one departure at a time (the rest exact); null when not asked for. */
  causes: Record<Departure, number> | null;
}

/**
 * raw: heads as the script holds them (H ≤ 4096: four dense H×H matrices); returns the published
 * error (with `departures` applied; all five by default), the exact error and, unless
 * `causes: false`, each departure's effect alone.
 */
export function publishedComparison(
  raw: RawHeads,
  departures: readonly Departure[] = DEPARTURES,
  { causes: withCauses = true }: { causes?: boolean } = {},
): PublishedComparison {
  const { d, count: H } = raw;
  const heads = unitHeads(raw);
  const nominal = new Float64Array(H);
  for (let h = 0; h < H; h++) nominal[h] = dot(raw.q, h * d, raw.k, h * d, d);
  const trueCos = new Float64Array(H);
  for (let h = 0; h < H; h++) trueCos[h] = dot(heads.q, h * d, heads.k, h * d, d);

  const recipe = (with_: (x: Departure) => boolean) => {
    const cos = with_('nominalAngle') ? nominal : trueCos;
    const b = cos.map((t) => {
      const v = with_('truncatedSeries') ? truncatedAgreement(d, t) : agreementProbability(d, t);
      return with_('float16') ? roundToFloat16(v) : v;
    });
    return { b, rawC: with_('rawKeysInC'), cg: with_('cgTolerance') };
  };

  const Ctrue = kernelMatrix(heads);
  const Craw = rawKernelMatrix(raw);
  const solvers = new Map<Float64Array, (b: Float64Array) => Float64Array>();
  const solve = (C: Float64Array, b: Float64Array) => {
    if (!solvers.has(C)) solvers.set(C, denseSolver(C, H));
    return solvers.get(C)!(b);
  };
  const evaluate = (r: ReturnType<typeof recipe>) => {
    const C = r.rawC ? Craw : Ctrue;
    const fit = r.cg ? scipyConjugateGradients(C, H, r.b) : { x: solve(C, r.b), iterations: 0 };
    return { error: quadraticError(C, H, r.b, fit.x), a: fit.x, iterations: fit.iterations };
  };

  const exactRecipe = recipe(() => false);
  const published = evaluate(recipe((x) => departures.includes(x)));
  const exact = evaluate(exactRecipe);
  const causes = withCauses
    ? (Object.fromEntries(DEPARTURES.map((x) => [x, evaluate(recipe((y) => y === x)).error])) as Record<
        Departure,
        number
      >)
    : null;
  return {
    d,
    heads: H,
    publishedError: published.error,
    exactError: exact.error,
    publishedWeightsTrueError: quadraticError(Ctrue, H, exactRecipe.b, published.a),
    publishedWeights: published.a,
    exactWeights: exact.a,
    cgIterations: published.iterations,
    causes,
  };
}
