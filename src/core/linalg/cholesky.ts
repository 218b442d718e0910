/**
 * Dense Cholesky for symmetric positive semi-definite matrices (row-major, float64): a blocked
 * left-looking factorisation, triangular solves, a ridge when the matrix is numerically singular,
 * and iterative refinement against the unridged matrix.
 */
import { dot } from '../vector.js';

const EPS = Number.EPSILON;

/** Columns per panel of the blocked Cholesky. */
const PANEL = 32;
/** Inner-product length per pass of the panel update: keeps the panel's slice (32×256×8 B) in L2. */
const DEPTH = 256;

/**
 * In-place lower Cholesky factor of the n×n row-major SPD matrix A (only its lower triangle is
 * read; the strict upper triangle is left as scratch). Returns −1 on success, or the column whose
 * pivot was numerically non-positive: ≤ n·ε times that diagonal entry, the size of the rounding
 * noise a pivot of an exactly singular matrix comes out with (Cholesky's backward error is
 * ≤ (n+1)ε·|L||Lᵀ|, whose diagonal is A's).
 *
 * Left-looking by panels of PANEL columns: first the panel of every row below is updated with
 * the rows' earlier columns (L[i, :jb]·L[c, :jb], 3 rows × 2 panel columns per register tile, the
 * same kernel as the Gram tiles), then the panel is finished row by row against its diagonal
 * block. All inner loops run along rows, which are contiguous.
 */
export function choleskyInPlace(A: Float64Array, n: number): number {
  const diag = new Float64Array(n);
  for (let i = 0; i < n; i++) diag[i] = A[i * n + i];
  for (let jb = 0; jb < n; jb += PANEL) {
    const je = Math.min(n, jb + PANEL);
    const w = je - jb;
    for (let kb = 0; kb < jb; kb += DEPTH) {
      const ke = Math.min(jb, kb + DEPTH);
      panelUpdate(A, n, jb, w, kb, ke);
    }
    for (let i = jb; i < n; i++) {
      const ri = i * n;
      const last = Math.min(je, i + 1);
      for (let c = jb; c < last; c++) {
        const rc = c * n;
        let s = A[ri + c];
        for (let t = jb; t < c; t++) s -= A[ri + t] * A[rc + t];
        if (c === i) {
          if (!(s > n * EPS * diag[i])) return i;
          A[ri + c] = Math.sqrt(s);
        } else {
          A[ri + c] = s / A[rc + c];
        }
      }
    }
  }
  return -1;
}

/** A[i, c] −= Σ_{t∈[kb,ke)} A[i, t]·A[c, t] for rows i ≥ jb and panel columns c ∈ [jb, jb+w). */
function panelUpdate(A: Float64Array, n: number, jb: number, w: number, kb: number, ke: number): void {
  const cols2 = w - (w % 2);
  let i = jb;
  for (; i + 2 < n; i += 3) {
    const r0 = i * n,
      r1 = r0 + n,
      r2 = r1 + n;
    for (let c = 0; c < cols2; c += 2) {
      const c0 = (jb + c) * n,
        c1 = c0 + n;
      let s00 = 0,
        s01 = 0,
        s10 = 0,
        s11 = 0,
        s20 = 0,
        s21 = 0;
      for (let t = kb; t < ke; t++) {
        const x0 = A[r0 + t],
          x1 = A[r1 + t],
          x2 = A[r2 + t];
        const y0 = A[c0 + t],
          y1 = A[c1 + t];
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
        s20 += x2 * y0;
        s21 += x2 * y1;
      }
      const col = jb + c;
      A[r0 + col] -= s00;
      A[r0 + col + 1] -= s01;
      A[r1 + col] -= s10;
      A[r1 + col + 1] -= s11;
      A[r2 + col] -= s20;
      A[r2 + col + 1] -= s21;
    }
    for (let c = cols2; c < w; c++) {
      const c0 = (jb + c) * n;
      A[r0 + jb + c] -= dot(A, r0 + kb, A, c0 + kb, ke - kb);
      A[r1 + jb + c] -= dot(A, r1 + kb, A, c0 + kb, ke - kb);
      A[r2 + jb + c] -= dot(A, r2 + kb, A, c0 + kb, ke - kb);
    }
  }
  for (; i < n; i++) {
    for (let c = 0; c < w; c++) A[i * n + jb + c] -= dot(A, i * n + kb, A, (jb + c) * n + kb, ke - kb);
  }
}

/** Solves L Lᵀ x = b with the factor from choleskyInPlace (lower triangle of L); returns x. */
export function choleskySolve(L: Float64Array, n: number, b: Float64Array): Float64Array {
  const y = Float64Array.from(b);
  for (let i = 0; i < n; i++) y[i] = (y[i] - dot(L, i * n, y, 0, i)) / L[i * n + i];
  // Lᵀx = y by columns of Lᵀ, i.e. rows of L: contiguous, where Lᵀ's rows would be strided.
  for (let i = n - 1; i >= 0; i--) {
    const ri = i * n;
    const xi = y[i] / L[ri + i];
    y[i] = xi;
    for (let t = 0; t < i; t++) y[t] -= L[ri + t] * xi;
  }
  return y;
}

/**
 * Factors C + ρI (C an H×H symmetric PSD matrix) with the smallest ρ ∈ {0, 1e-14·s, 1e-13·s, …, 1e-6·s} (s = trace/H) for which
 * every pivot is numerically positive; C itself is not modified. Ridges below H·ε·s/2 are not
 * tried: the pivots they lift a zero pivot to (≈ ρ to 2ρ) stay under choleskyInPlace's threshold.
 */
export function factorWithRidge(C: Float64Array, H: number): { L: Float64Array; ridge: number } {
  let trace = 0;
  for (let i = 0; i < H; i++) trace += C[i * H + i];
  const L = new Float64Array(H * H);
  const first = Math.max(0, Math.ceil(Math.log10((H * EPS) / 2 / 1e-14)));
  for (let step = -1; step <= 8; step++) {
    if (step >= 0 && step < first) continue;
    const ridge = step < 0 ? 0 : 1e-14 * 10 ** step * (trace / H);
    L.set(C);
    for (let i = 0; i < H; i++) L[i * H + i] += ridge;
    if (choleskyInPlace(L, H) < 0) return { L, ridge };
  }
  throw new Error('the matrix is not positive semi-definite even with a ridge of 1e-6·trace/n');
}

/** r = b − C a for a stored C; returns ‖r‖₂. */

/** r = b − A x for the n×n matrix A; returns ‖r‖₂. */
export function denseResidual(A: Float64Array, n: number, b: Float64Array, x: Float64Array, r: Float64Array): number {
  for (let i = 0; i < n; i++) r[i] = b[i] - dot(A, i * n, x, 0, n);
  return Math.sqrt(dot(r, 0, r, 0, n));
}

export interface RefinedSolution {
  x: Float64Array;
  /** b − A x for the exact (unridged) A. */
  residual: Float64Array;
  residualNorm: number;
  /** Refinement steps taken. */
  steps: number;
  /** Multiple of the identity added to A for the factor (0 when none was needed). */
  ridge: number;
}

/**
 * A x = b for a symmetric PSD n×n matrix A (not modified), by Cholesky of A + ρI and up to
 * `maxSteps` steps of iterative refinement, until ‖b − Ax‖ ≤ target. Each step costs O(n²)
 * against the O(n³) factorisation, and recovers the digits lost to a ridge or to conditioning;
 * a step that does not halve the residual is undone (b outside A's range, or rounding floor).
 */
export function solveRefined(
  A: Float64Array,
  n: number,
  b: Float64Array,
  target: number,
  maxSteps: number,
): RefinedSolution {
  return refinedSolver(A, n)(b, target, maxSteps);
}

/** solveRefined for many right-hand sides of one A: the factorisation is done once, here. */
export function refinedSolver(
  A: Float64Array,
  n: number,
): (b: Float64Array, target: number, maxSteps: number) => RefinedSolution {
  const { L, ridge } = factorWithRidge(A, n);
  return (b, target, maxSteps) => {
    let x = choleskySolve(L, n, b);
    const r = new Float64Array(n);
    let rNorm = denseResidual(A, n, b, x, r);
    let steps = 0;
    while (rNorm > target && steps < maxSteps) {
      const delta = choleskySolve(L, n, r);
      const next = new Float64Array(n);
      for (let i = 0; i < n; i++) next[i] = x[i] + delta[i];
      const rNext = new Float64Array(n);
      const nextNorm = denseResidual(A, n, b, next, rNext);
      if (!(nextNorm < 0.5 * rNorm)) break;
      x = next;
      r.set(rNext);
      rNorm = nextNorm;
      steps++;
    }
    return { x, residual: r, residualNorm: rNorm, steps, ridge };
  };
}
