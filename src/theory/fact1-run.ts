/**
 * Fact 1 for one setting: the error of the head QKᵀ = βI, V = I against nearest neighbour, exactly
 * where a closed form exists (N = 2, D_2) and by Monte Carlo otherwise (what `rankcheck fact1` runs).
 */
import type { ContextDistribution } from '../core/sphere.js';
import { fullRankHead } from '../model/constructions.js';
import { estimateError, type ErrorEstimate } from '../model/monte-carlo.js';
import { fact1Asymptote, fact1ExactError, fact1LargeBetaConstant } from './fact1.js';

export type Fact1Method = 'exact' | 'monte-carlo';

export interface Fact1Query {
  d: number;
  beta: number;
  n: number;
  dist: ContextDistribution;
  method: Fact1Method;
  samples: number;
  seed: number;
  level: number;
  workers?: number;
  signal?: AbortSignal;
}

export interface Fact1Exact {
  d: number;
  beta: number;
  n: 2;
  dist: 'ortho';
  method: 'exact';
  error: number;
  /** Estimated absolute error of `error` (quadrature). */
  errorEstimate: number;
  /** c(d)·√d/β with the second-order correction (absent for β = 0): the error's large-β form. */
  asymptote?: number;
  /** c(d) = lim β·error/√d. */
  largeBetaConstant: number;
}

export interface Fact1MonteCarlo {
  d: number;
  beta: number;
  n: number;
  dist: ContextDistribution;
  method: 'monte-carlo';
  error: number;
  ci: [number, number];
  level: number;
  ciMethod: 'normal';
  samples: number;
  seed: number;
  /** False when interrupted: the estimate then uses the samples that finished. */
  complete: boolean;
  /** For N = 2 on D_2, the exact value the estimate should bracket. */
  exactError?: number;
}

/** Whether the exact closed form applies (N = 2 on D_2). */
export function fact1HasClosedForm(n: number, dist: ContextDistribution): boolean {
  return n === 2 && dist === 'ortho';
}

/** d ≥ 3, β ≥ 0; the exact D_2 result. */
export function fact1Exact(d: number, beta: number): Fact1Exact {
  const exact = fact1ExactError(d, beta);
  const result: Fact1Exact = {
    d,
    beta,
    n: 2,
    dist: 'ortho',
    method: 'exact',
    error: exact.error,
    errorEstimate: exact.errorEstimate,
    largeBetaConstant: fact1LargeBetaConstant(d),
  };
  if (beta > 0) result.asymptote = fact1Asymptote(d, beta);
  return result;
}

/** Monte Carlo estimate of the head's error for any N and either distribution. */
export async function fact1MonteCarlo(q: Fact1Query): Promise<Fact1MonteCarlo> {
  const layer = fullRankHead(q.d, q.beta).spec;
  const est: ErrorEstimate = await estimateError(
    { layer, target: { kind: 'nearest' }, dist: q.dist, n: q.n },
    { samples: q.samples, seed: q.seed, level: q.level, method: 'normal', workers: q.workers, signal: q.signal },
  );
  const result: Fact1MonteCarlo = {
    d: q.d,
    beta: q.beta,
    n: q.n,
    dist: q.dist,
    method: 'monte-carlo',
    error: est.mean,
    ci: [est.interval.lo, est.interval.hi],
    level: q.level,
    ciMethod: 'normal',
    samples: est.samples,
    seed: q.seed,
    complete: est.complete,
  };
  if (fact1HasClosedForm(q.n, q.dist)) result.exactError = fact1ExactError(q.d, q.beta).error;
  return result;
}
