/**
 * Deliberately wrong samplers. They exist so that the properties which certify the real
 * samplers can show they would notice a wrong one; nothing else may use them.
 */
import { Matrix, QrDecomposition } from 'ml-matrix';
import type { Rng } from '../../src/core/rng.js';

/**
 * SENTINEL (biased): the orthonormal factor of a Householder QR of a Gaussian d×n matrix, with no
 * sign correction. Householder QR (LAPACK, NumPy, PyTorch, ml-matrix alike) fixes the sign of R's
 * diagonal so that the first vector's first coordinate is always ≤ 0: not the Haar measure.
 * This is how the paper's released code draws its orthogonal points.
 */
export function qrFrameWithoutSignFix(rng: Rng, d: number, n: number, out: Float64Array, offset = 0): void {
  const g = new Matrix(d, n);
  for (let r = 0; r < d; r++) for (let c = 0; c < n; c++) g.set(r, c, rng.normal());
  const q = new QrDecomposition(g).orthogonalMatrix;
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) out[offset + i * d + k] = q.get(k, i);
}
