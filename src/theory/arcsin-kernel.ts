/**
 * The arcsin kernel of rank-1 hardmax heads on D_2, and the linear solves for optimal output
 * weights.
 *
 * Head h (unit q_h, k_h ∈ R^d) picks x_1 iff ⟨q_h, y⟩⟨k_h, w⟩ > 0 with w = (x_1 − x_2)/√2, and y,
 * w are independent and uniform on the sphere. Two heads' signs on y differ with probability
 * θ_q/π (θ_q the angle between q_h and q_h'), likewise on w, so they choose alike with probability
 *
 *   C_hh' = (1 − θ_q/π)(1 − θ_k/π) + (θ_q/π)(θ_k/π) = ½ + ½·u_q·u_k,   u = 1 − 2θ/π = (2/π)·arcsin⟨·,·⟩,
 *
 * i.e. C = ½·11ᵀ + C' with C' = (2/π²)·arcsin(QQᵀ)∘arcsin(KKᵀ), C' PSD with constant diagonal ½.
 * For an agreement vector b the optimal output weights are a = C⁻¹b and the error is 1 − bᵀC⁻¹b.
 *
 * The kernel is computed in tiles (kernel-tiles.ts, built in parallel by kernel-build.ts); the
 * solves are a dense Cholesky (core/linalg/cholesky.ts) or conjugate gradients on C' with the
 * rank-one part handled exactly (core/linalg/conjugate-gradients.ts, Sherman–Morrison below).
 * Derivation: proofs-notes/random-features.md.
 */
import { solveRefined } from '../core/linalg/cholesky.js';
import { blockConjugateGradients } from '../core/linalg/conjugate-gradients.js';
import { dot } from '../core/vector.js';
import {
  kernelMatrix,
  kernelMatVec,
  shiftedOperator,
  type KernelOperator,
  type ShiftedOperator,
} from './kernel-tiles.js';
import { checkHeads, checkVector, type Rank1Heads } from './rank1-heads.js';

export { kernelMatrix, kernelMatVec, type KernelOperator } from './kernel-tiles.js';
export { kernelMatrixParallel } from './kernel-build.js';
export { normaliseHeads, prefixHeads, type Rank1Heads } from './rank1-heads.js';
export type SolveMethod = 'cholesky' | 'cg';

export interface SolveOptions {
  /** 'auto' (default): Cholesky for H ≤ 2048, conjugate gradients above. */
  method?: 'auto' | SolveMethod;
  /** Target relative residual ‖b − Ca‖₂/‖b‖₂ (default 1e-12). */
  tolerance?: number;
  /** CG iterations at most (default max(100, min(2H, 1000))); Cholesky refinement steps at most 3. */
  maxIterations?: number;
  /** A precomputed kernelMatrix(heads) to reuse (it is not modified). */
  dense?: Float64Array;
  /** How CG applies C': 'auto' (default) is 'dense' if `dense` is given, 'packed' if H ≤ 8192, else 'matrix-free'. */
  operator?: 'auto' | KernelOperator;
  /** CG warm start for C'x = b, e.g. the shiftedSolution of a solve with a nearby b. */
  initial?: ArrayLike<number>;
  /** CG warm start for C'z = 1, e.g. the shiftedOnes of any earlier solve with these heads. */
  initialOnes?: ArrayLike<number>;
}

export interface KernelSolution {
  weights: Float64Array;
  /** CG iterations, or Cholesky iterative-refinement steps. */
  iterations: number;
  /** ‖b − C·weights‖₂/‖b‖₂ against the exact (unridged) C; 0 when b = 0. */
  relativeResidual: number;
  /** Whether relativeResidual ≤ tolerance. */
  converged: boolean;
  method: SolveMethod;
  /** How C was applied: a stored matrix, or tiles recomputed on every product. */
  operator: KernelOperator;
  /** Multiple of the identity added to C for the Cholesky factor (0 when none was needed). */
  ridge: number;
  /** CG only: C'⁻¹b, to pass back as `initial`. */
  shiftedSolution?: Float64Array;
  /** CG only: C'⁻¹1, to pass back as `initialOnes`. */
  shiftedOnes?: Float64Array;
}

export interface OptimalError extends KernelSolution {
  /**
   * 1 − 2aᵀb + aᵀCa for the returned weights a: the error they achieve, which exceeds the optimum
   * 1 − bᵀC⁻¹b by rᵀC⁻¹r (r the residual), second order in the residual where 1 − bᵀa is first.
   */
  error: number;
}

/** Above this H, 'auto' switches from Cholesky (≈ H³/6 multiply–adds) to CG. */
const CHOLESKY_LIMIT = 2048;
/** Largest H for which 'auto' CG stores C' (≈ 4H² bytes: 256 MiB at 8192) instead of recomputing it. */
const PACKED_LIMIT = 8192;

/** A solution with its residual vector b − Ca, which optimalError needs and the solvers have. */
interface SolutionWithResidual {
  solution: KernelSolution;
  residual: Float64Array;
}

function solveCholesky(
  C: Float64Array,
  H: number,
  b: Float64Array,
  tolerance: number,
  maxSteps: number,
  bNorm: number,
): SolutionWithResidual {
  const { x, residual, residualNorm, steps, ridge } = solveRefined(C, H, b, tolerance * bNorm, maxSteps);
  const rel = residualNorm / bNorm;
  return {
    solution: {
      weights: x,
      iterations: steps,
      relativeResidual: rel,
      converged: rel <= tolerance,
      method: 'cholesky',
      operator: 'dense',
      ridge,
    },
    residual,
  };
}

/**
 * Solves C a = b as C = C' + ½·11ᵀ by Sherman–Morrison: with x = C'⁻¹b and z = C'⁻¹1,
 * a = x − γz, γ = ½(1ᵀx)/(1 + ½·1ᵀz).
 *
 * Why it converges fast: C' has constant diagonal ½ and, for heads in general position,
 * off-diagonal entries of size O(1/d), so its spectrum sits in a narrow band away from 0 (κ(C')
 * measured 2.2 at d = 64, H = 1024, and 11 at d = 8, H = 300), and CG's iteration count depends
 * on that band only. C has the same band plus one isolated eigenvalue ≈ H/2 (any two heads agree
 * at least half the time). CG would isolate that outlier at the cost of an iteration or so (21
 * instead of 18 at d = 64, H = 1024), but in floating point an eigenvalue ~H·λ_min amplifies the
 * drift of the recursive residual (true residual 2.6e-13 instead of 1.4e-14 there); removing it
 * exactly avoids both. The two systems are iterated together, so that each product (matrix-free:
 * each tile computation) serves both right-hand sides.
 *
 * Stopping: the residual of a is r_x − γ·r_z, and the iteration stops when its norm is ≤ tol·‖b‖.
 * (The bound ‖r_x‖ + |γ|·‖r_z‖ would be 10–50× pessimistic: b is close to a multiple of 1, so
 * r_x and γ·r_z largely cancel, and it costs 3–4 extra products.) It then recomputes both
 * residuals from scratch (one more product) and continues, restarted from those, if the
 * recursively updated ones had drifted; it gives up when a restart did not halve the true
 * residual (the tolerance is below what rounding allows).
 */
function solveConjugateGradients(
  apply: ShiftedOperator,
  operator: KernelOperator,
  H: number,
  b: Float64Array,
  tolerance: number,
  maxIterations: number,
  bNorm: number,
  initial: ArrayLike<number> | undefined,
  initialOnes: ArrayLike<number> | undefined,
): SolutionWithResidual {
  const gammaOf = (xs: Float64Array[]) => (0.5 * sum(xs[0])) / (1 + 0.5 * sum(xs[1]));
  const { xs, rs, iterations } = blockConjugateGradients({
    n: H,
    apply,
    rhs: [b, new Float64Array(H).fill(1)],
    initial: [initial, initialOnes],
    maxIterations,
    measure: (x, [rx, rz]) => {
      const gamma = gammaOf(x);
      let s = 0;
      for (let i = 0; i < H; i++) {
        const e = rx[i] - gamma * rz[i];
        s += e * e;
      }
      return Math.sqrt(s);
    },
    target: tolerance * bNorm,
  });
  const gamma = gammaOf(xs);
  const a = new Float64Array(H);
  const r = new Float64Array(H);
  for (let i = 0; i < H; i++) {
    a[i] = xs[0][i] - gamma * xs[1][i];
    r[i] = rs[0][i] - gamma * rs[1][i];
  }
  const rel = norm(r) / bNorm;
  return {
    solution: {
      weights: a,
      iterations,
      relativeResidual: rel,
      converged: rel <= tolerance,
      method: 'cg',
      operator,
      ridge: 0,
      shiftedSolution: xs[0],
      shiftedOnes: xs[1],
    },
    residual: r,
  };
}

// ---------------------------------------------------------------------------------------------
// Public solves

/**
 * b ∈ R^H (an agreement vector, entries in [0, 1]); returns a ≈ C⁻¹b, the optimal output
 * weights, with the solver's details. See SolveOptions for the choices.
 */
export function solveKernel(heads: Rank1Heads, b: ArrayLike<number>, options: SolveOptions = {}): KernelSolution {
  return solveWithResidual(heads, b, options).solution;
}

function solveWithResidual(heads: Rank1Heads, b: ArrayLike<number>, options: SolveOptions): SolutionWithResidual {
  checkHeads(heads);
  const H = heads.count;
  checkVector(b, H, 'b');
  const tolerance = options.tolerance ?? 1e-12;
  if (!(tolerance > 0)) throw new RangeError(`tolerance must be positive (got ${tolerance})`);
  const method = options.method ?? 'auto';
  if (method !== 'auto' && method !== 'cholesky' && method !== 'cg')
    throw new RangeError(`unknown method ${String(method)}`);
  const chosen: SolveMethod = method === 'auto' ? (H <= CHOLESKY_LIMIT ? 'cholesky' : 'cg') : method;
  const maxIterations = options.maxIterations ?? (chosen === 'cg' ? Math.max(100, Math.min(2 * H, 1000)) : 3);
  if (!(Number.isInteger(maxIterations) && maxIterations >= 0)) {
    throw new RangeError(`maxIterations must be a non-negative integer (got ${maxIterations})`);
  }
  if (options.dense && options.dense.length !== H * H) {
    throw new RangeError(`options.dense has length ${options.dense.length}, expected H² = ${H * H}`);
  }
  if (options.initial) checkVector(options.initial, H, 'options.initial');
  if (options.initialOnes) checkVector(options.initialOnes, H, 'options.initialOnes');
  const bb = Float64Array.from(b as ArrayLike<number>);
  const bNorm = norm(bb);
  const choice = options.operator ?? 'auto';
  if (!['auto', 'dense', 'packed', 'matrix-free'].includes(choice))
    throw new RangeError(`unknown operator ${String(choice)}`);
  const operator: KernelOperator =
    chosen === 'cholesky'
      ? 'dense'
      : choice !== 'auto'
        ? choice
        : options.dense
          ? 'dense'
          : H <= PACKED_LIMIT
            ? 'packed'
            : 'matrix-free';

  if (bNorm === 0) {
    return {
      solution: {
        weights: new Float64Array(H),
        iterations: 0,
        relativeResidual: 0,
        converged: true,
        method: chosen,
        operator,
        ridge: 0,
      },
      residual: new Float64Array(H),
    };
  }
  if (chosen === 'cholesky') {
    const C = options.dense ?? kernelMatrix(heads);
    return solveCholesky(C, H, bb, tolerance, maxIterations, bNorm);
  }
  return solveConjugateGradients(
    shiftedOperator(heads, operator, options.dense),
    operator,
    H,
    bb,
    tolerance,
    maxIterations,
    bNorm,
    options.initial,
    options.initialOnes,
  );
}

/**
 * b ∈ R^H (agreement vector); the D_2 error 1 − bᵀC⁻¹b of the best output weights for these
 * heads, computed as the error 1 − 2aᵀb + aᵀCa of the weights a the solver returns.
 */
export function optimalError(heads: Rank1Heads, b: ArrayLike<number>, options: SolveOptions = {}): OptimalError {
  const { solution, residual } = solveWithResidual(heads, b, options);
  const a = solution.weights;
  // 1 − 2aᵀb + aᵀCa = 1 − aᵀb − aᵀr with r = b − Ca, which the solver has already formed.
  let ab = 0;
  let ar = 0;
  for (let i = 0; i < heads.count; i++) {
    ab += a[i] * b[i];
    ar += a[i] * residual[i];
  }
  return { ...solution, error: 1 - ab - ar };
}

/** a, b ∈ R^H; the D_2 error 1 − 2aᵀb + aᵀCa of output weights a (any a), matrix-free. */
export function errorForWeights(heads: Rank1Heads, b: ArrayLike<number>, a: ArrayLike<number>): number {
  checkHeads(heads);
  const H = heads.count;
  checkVector(b, H, 'b');
  checkVector(a, H, 'a');
  const Ca = kernelMatVec(heads, a, new Float64Array(H));
  let ab = 0;
  let aCa = 0;
  for (let i = 0; i < H; i++) {
    ab += a[i] * b[i];
    aCa += a[i] * Ca[i];
  }
  return 1 - 2 * ab + aCa;
}

// ---------------------------------------------------------------------------------------------
// Small vector helpers

function sum(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s;
}

function norm(v: Float64Array): number {
  return Math.sqrt(dot(v, 0, v, 0, v.length));
}
