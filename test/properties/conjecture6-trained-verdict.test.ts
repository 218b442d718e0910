import { describe, expect, it } from 'vitest';
import { rankAudited, trainedDegradationVerdict } from '../../properties/conjecture-6/verdicts.js';
import type { TrainedSeries } from '../../properties/conjecture-6/trained-series.js';

/** Per-seed noise of a trained model's error (five seeds, mean 0, about ±0.01). */
const NOISE = [-0.01, 0.006, 0.002, -0.004, 0.006];

/** Errors at N = 2 and N = 8, one per seed, around the given means. */
const at = (short: number, long: number, shift: number) =>
  [short, long].map((mean, i) =>
    NOISE.map((_, k) => ({ n: [2, 8][i], error: mean + NOISE[(k + shift + i) % 5], ci: [0, 1] as [number, number] })),
  );

const series = (low: [number, number], full: [number, number]): TrainedSeries => ({
  d: 8,
  dist: 'unif',
  rank: 1,
  ns: [2, 8],
  lowRank: at(...low, 1),
  fullRank: at(...full, 3),
  lowRankScoreRanks: { min: 1, max: 1 },
  fullRankScoreRanks: { min: 8, max: 8 },
});

describe('Conjecture 6 on trained models', () => {
  it('is supported when low rank degrades with N by more than the full-rank reference', () => {
    expect(trainedDegradationVerdict([series([0.4, 0.62], [0.14, 0.22])]).verdict).toBe('holds');
  });

  it('is left open when low rank degrades only as much as the full-rank reference (under-training explains it)', () => {
    expect(trainedDegradationVerdict([series([0.4, 0.5], [0.14, 0.24])]).verdict).toBe('inconclusive');
  });

  it('is not supported when low rank has no gap to full rank at the longest context', () => {
    expect(trainedDegradationVerdict([series([0.1, 0.2], [0.14, 0.3])]).verdict).toBe('violated');
  });

  it('is not evidence about rank when a full-rank reference is not of rank d', () => {
    const s = { ...series([0.4, 0.62], [0.14, 0.22]), fullRankScoreRanks: { min: 7, max: 8 } };
    expect(rankAudited(trainedDegradationVerdict([s]), [s]).verdict).toBe('violated');
  });
});
