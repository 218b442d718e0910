/**
 * The rank a trained head really has: the numerical rank of its score matrix Q_h K_hᵀ, computed
 * from the weights alone. A model's label (rank r) is what the trainer was asked for; this is what
 * it produced, so a layer that silently trained at a larger rank is seen in its weights.
 */
import { Matrix, SingularValueDecomposition } from 'ml-matrix';

/**
 * Singular values below this share of the largest count as zero. Q_h, K_h are d × r factors in
 * float64 (copied from float32 weights), so a product of rank r has σ_{r+1}/σ_1 of a few 1e-16;
 * a genuine extra direction of a trained model sits near the initial scale's O(0.1–1). 1e-9 lies
 * six orders from both, and a direction below it moves every score by less than 1e-9 relative.
 */
export const SCORE_RANK_TOLERANCE = 1e-9;

/** d, r ≥ 1; Q, K row-major d × r; the singular values of Q Kᵀ (d × d), descending. */
export function scoreSingularValues(Q: ArrayLike<number>, K: ArrayLike<number>, d: number, r: number): number[] {
  const q = new Matrix(d, r);
  const k = new Matrix(d, r);
  for (let i = 0; i < d; i++)
    for (let c = 0; c < r; c++) {
      q.set(i, c, Q[i * r + c]);
      k.set(i, c, K[i * r + c]);
    }
  const svd = new SingularValueDecomposition(q.mmul(k.transpose()), {
    computeLeftSingularVectors: false,
    computeRightSingularVectors: false,
  });
  return [...svd.diagonal].sort((a, b) => b - a);
}

/** d, r ≥ 1; the numerical rank of Q Kᵀ: singular values above SCORE_RANK_TOLERANCE·σ_1 (0 when Q Kᵀ = 0). */
export function scoreRank(Q: ArrayLike<number>, K: ArrayLike<number>, d: number, r: number): number {
  const s = scoreSingularValues(Q, K, d, r);
  if (!(s[0] > 0)) return 0;
  return s.filter((x) => x > SCORE_RANK_TOLERANCE * s[0]).length;
}

/** The smallest and largest score rank over a layer's heads (or over several layers). */
export interface ScoreRanks {
  min: number;
  max: number;
}

/** The score ranks of H heads stored head after head (Q, K of H·d·r entries). */
export function headScoreRanks(
  Q: ArrayLike<number>,
  K: ArrayLike<number>,
  heads: number,
  d: number,
  r: number,
): ScoreRanks {
  let min = Infinity;
  let max = 0;
  const size = d * r;
  for (let h = 0; h < heads; h++) {
    const part = (a: ArrayLike<number>) => Array.from({ length: size }, (_, i) => a[h * size + i]);
    const k = scoreRank(part(Q), part(K), d, r);
    min = Math.min(min, k);
    max = Math.max(max, k);
  }
  return { min, max };
}

/** The range covering every given range (the layers of one model). */
export function joinScoreRanks(ranks: readonly ScoreRanks[]): ScoreRanks {
  return { min: Math.min(...ranks.map((x) => x.min)), max: Math.max(...ranks.map((x) => x.max)) };
}

/** Whether every head has exactly the labelled rank. */
export const hasScoreRank = (s: ScoreRanks, label: number): boolean => s.min === label && s.max === label;

/** "2", or "1–2" when the heads differ. */
export const scoreRanksText = (s: ScoreRanks): string => (s.min === s.max ? `${s.min}` : `${s.min}–${s.max}`);
