/**
 * What an attention layer is, as data: its heads' weights, its normalisation, the shape of one
 * evaluation. Types only, so that the front (attention.ts) and the kernel sets behind it
 * (kernels/) both read them without importing each other.
 */

export type Normalisation = 'softmax' | 'hardmax';

/**
 * Score of a generalized head: p = Q_hᵀy (length r), context point i at X[offset .. offset+d).
 * Must be deterministic and must not keep references to p or X (they are reused buffers).
 */
export type ScoreFunction = (p: Float64Array, X: Float64Array, offset: number, i: number) => number;

export interface HeadWeights {
  /** d×r, row-major. */
  Q: Float64Array;
  /** d×r, row-major (ignored by generalized heads unless their score uses it). */
  K: Float64Array;
  /** d×d, row-major. */
  V: Float64Array;
  /** When set, the head scores with this function of (Q_hᵀy, x_i, i) instead of yᵀQ_hK_hᵀx_i. */
  score?: ScoreFunction;
}

export interface AttentionSpec {
  d: number;
  r: number;
  normalisation: Normalisation;
  heads: HeadWeights[];
}

/** The sizes of one evaluation: `size` samples, each of n context points and m queries. */
export interface AttentionShape {
  size: number;
  n: number;
  m: number;
}
