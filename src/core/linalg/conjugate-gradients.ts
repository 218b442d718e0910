/**
 * Conjugate gradients for several right-hand sides of one symmetric positive semi-definite
 * operator at once, so that each application of the operator (often the expensive part: a matrix
 * recomputed tile by tile) serves every system. The caller says what "solved" means through
 * `measure` (for example the norm of a combination of the residuals), because the recursively
 * updated residuals drift in floating point: when the measure reaches the target, the residuals
 * are recomputed from scratch and the iteration restarted from them; it gives up when a restart
 * did not halve the true measure (the target is below what rounding allows).
 */
import { dot } from '../vector.js';

export interface BlockCgProblem {
  n: number;
  /** outs[m] = A vs[m] for every m. */
  apply(vs: Float64Array[], outs: Float64Array[]): void;
  rhs: Float64Array[];
  /** Starting points per system (default 0); when any is given the residuals start exact. */
  initial?: (ArrayLike<number> | undefined)[];
  maxIterations: number;
  /** The size to drive below `target`, from the iterates and their residuals. */
  measure(xs: Float64Array[], rs: Float64Array[]): number;
  target: number;
}

export interface BlockCgResult {
  xs: Float64Array[];
  /** The true residuals b − A x at exit. */
  rs: Float64Array[];
  /** Operator applications of the iteration (the recomputations of the residuals not counted). */
  iterations: number;
}

/** Solves A x_m = b_m for every right-hand side; see the module comment. */
export function blockConjugateGradients(p: BlockCgProblem): BlockCgResult {
  const { n, rhs } = p;
  const m = rhs.length;
  const xs = rhs.map(() => new Float64Array(n));
  p.initial?.forEach((x0, s) => x0 && xs[s].set(x0));
  const rs = rhs.map(() => new Float64Array(n));
  const ps = rhs.map(() => new Float64Array(n));
  const ws = rhs.map(() => new Float64Array(n));
  const rr = new Array<number>(m).fill(0);
  let iterations = 0;

  const trueResiduals = () => {
    p.apply(xs, ws);
    for (let s = 0; s < m; s++) {
      const b = rhs[s];
      const r = rs[s];
      for (let i = 0; i < n; i++) r[i] = b[i] - ws[s][i];
      ps[s].set(r);
      rr[s] = dot(r, 0, r, 0, n);
    }
  };
  const done = () => p.measure(xs, rs) <= p.target;

  const warm = p.initial?.some((x0) => x0 !== undefined) ?? false;
  if (warm) trueResiduals();
  else {
    for (let s = 0; s < m; s++) {
      rs[s].set(rhs[s]);
      ps[s].set(rhs[s]);
      rr[s] = dot(rhs[s], 0, rhs[s], 0, n);
    }
  }
  let verified = warm;
  let lastVerified = Infinity;
  for (;;) {
    if (done()) {
      if (verified) break;
      trueResiduals();
      verified = true;
      const now = p.measure(xs, rs);
      if (!(now < 0.5 * lastVerified)) break;
      lastVerified = now;
      continue;
    }
    if (iterations >= p.maxIterations) break;
    p.apply(ps, ws);
    iterations++;
    verified = false;
    for (let s = 0; s < m; s++) {
      const pw = dot(ps[s], 0, ws[s], 0, n);
      // rr = 0: this system is solved exactly; pw ≤ 0 cannot happen for a PSD operator unless p is
      // in its null space, where there is nothing left to reduce either.
      if (rr[s] === 0 || !(pw > 0)) continue;
      const alpha = rr[s] / pw;
      const x = xs[s],
        r = rs[s],
        d = ps[s],
        w = ws[s];
      for (let i = 0; i < n; i++) {
        x[i] += alpha * d[i];
        r[i] -= alpha * w[i];
      }
      const rrNext = dot(r, 0, r, 0, n);
      const beta = rrNext / rr[s];
      for (let i = 0; i < n; i++) d[i] = r[i] + beta * d[i];
      rr[s] = rrNext;
    }
  }
  if (!verified) trueResiduals();
  return { xs, rs, iterations };
}
