import { describe, expect, it } from 'vitest';
import { runTrainingJob } from '../../src/search/jobs.js';

const common = {
  dist: 'unif' as const,
  steps: 3,
  batch: 16,
  learningRate: 0.01,
  initScale: 1,
  seed: 5,
  evalSamples: 64,
  level: 0.999,
};

describe('trained models carry the score rank read from their weights', () => {
  it('a one-layer rank-1 model has score rank 1, a rank-2 one 2, a full-rank head d', async () => {
    for (const r of [1, 2, 6])
      expect(
        (await runTrainingJob({ kind: 'one-layer', shape: { d: 6, r, heads: 3, n: 2, variant: 'plain' }, ...common }))
          .scoreRanks,
      ).toEqual({ min: r, max: r });
  });

  it('a two-layer model trained at rank 2 shows rank 2 whatever it is labelled', async () => {
    const at = async (r: number) =>
      (await runTrainingJob({ kind: 'two-layer', shape: { d: 4, n: 3, r, heads: 2 }, ...common })).scoreRanks;
    expect(await at(1)).toEqual({ min: 1, max: 1 });
    expect(await at(2)).toEqual({ min: 2, max: 2 });
  });
});
