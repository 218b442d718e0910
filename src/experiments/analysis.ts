/**
 * Analysis of learned weights: how close a head's bilinear score matrix is to a multiple of −I,
 * the construction of Fact 1 with its sign flipped for farthest neighbour.
 */

/** Angle in degrees (0..180) between a W×W matrix M (row-major) and `sign`·I, flattened (Frobenius inner product). */
export function angleToIdentity(M: Float64Array, W: number, sign: 1 | -1 = 1): number {
  let trace = 0;
  let norm2 = 0;
  for (let a = 0; a < W; a++) trace += M[a * W + a];
  for (let k = 0; k < M.length; k++) norm2 += M[k] * M[k];
  if (norm2 === 0) return 90;
  const cos = (sign * trace) / (Math.sqrt(norm2) * Math.sqrt(W));
  return (Math.acos(Math.max(-1, Math.min(1, cos))) * 180) / Math.PI;
}

/**
 * The smallest angle any rank-r W×W matrix can make with ±I: cos ≤ √(r/W) (the trace is at most the
 * nuclear norm, ≤ √r times the Frobenius norm). A rank-d/2 head can never get below 45°.
 */
export function minimumAngleForRank(r: number, W: number): number {
  return (Math.acos(Math.min(1, Math.sqrt(r / W))) * 180) / Math.PI;
}
