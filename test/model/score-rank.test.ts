import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { headScoreRanks, SCORE_RANK_TOLERANCE, scoreRank, scoreSingularValues } from '../../src/model/score-rank.js';

const gaussian = (rng: Rng, len: number) => Float64Array.from({ length: len }, () => rng.normal());

describe('the numerical rank of a score matrix Q Kᵀ', () => {
  it('is r for random d × r factors, every 1 ≤ r ≤ d', () => {
    const rng = Rng.fromSeed(11);
    for (const d of [2, 5, 8, 16])
      for (let r = 1; r <= d; r++) expect(scoreRank(gaussian(rng, d * r), gaussian(rng, d * r), d, r)).toBe(r);
  });

  it('leaves the structural zeros of a rank-r product far below the tolerance', () => {
    const rng = Rng.fromSeed(12);
    const s = scoreSingularValues(gaussian(rng, 32 * 2), gaussian(rng, 32 * 2), 32, 2);
    // σ₃/σ₁ is float64 rounding in the product (≈ 1e-16); the tolerance sits six orders above it.
    expect(s[2] / s[0]).toBeLessThan(SCORE_RANK_TOLERANCE * 1e-4);
  });

  it('counts a factor of width 2 whose second column repeats the first as rank 1', () => {
    const rng = Rng.fromSeed(13);
    const q = gaussian(rng, 6);
    const Q = new Float64Array(12);
    for (let i = 0; i < 6; i++) Q[2 * i] = Q[2 * i + 1] = q[i];
    expect(scoreRank(Q, gaussian(rng, 12), 6, 2)).toBe(1);
  });

  it('is 0 for a zero score matrix', () => {
    expect(scoreRank(new Float64Array(8), new Float64Array(8), 4, 2)).toBe(0);
  });

  it('gives the smallest and largest rank over the heads', () => {
    const rng = Rng.fromSeed(14);
    const d = 5;
    const r = 2;
    // Head 0 rank 1 (its K's second column is 0), head 1 rank 2.
    const K = gaussian(rng, 2 * d * r);
    for (let i = 0; i < d; i++) K[i * r + 1] = 0;
    expect(headScoreRanks(gaussian(rng, 2 * d * r), K, 2, d, r)).toEqual({ min: 1, max: 2 });
    expect(headScoreRanks(gaussian(rng, d * r), K.subarray(0, d * r), 1, d, r)).toEqual({ min: 1, max: 1 });
  });
});
