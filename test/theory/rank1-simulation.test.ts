import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { momentsOf } from '../../src/core/stats.js';
import { sampleErrors } from '../../src/model/monte-carlo.js';
import { randomRank1Heads } from '../../src/theory/head-distributions.js';
import { constructionError, rank1HardmaxLayer } from '../../src/theory/rank1-construction.js';
import { simulateRank1Errors, simulateRank1ErrorsOnWorkers } from '../../src/theory/rank1-simulation.js';

describe('simulateRank1Errors', () => {
  it('gives the attention evaluator’s per-sample errors on the same draws, for every weight vector at once', () => {
    const heads = randomRank1Heads(Rng.fromSeed(3), 6, 9, 'paper');
    const a = constructionError(heads).weights;
    const b = Float64Array.from(a, (x, i) => x * (i % 2 ? 0.5 : 1.5));
    const [ma, mb] = simulateRank1Errors(heads, [a, b], Rng.fromSeed(11), 5000);
    for (const [w, m] of [
      [a, ma],
      [b, mb],
    ] as const) {
      const reference = momentsOf(
        sampleErrors(
          rank1HardmaxLayer(heads, w),
          { target: { kind: 'nearest' }, dist: 'ortho', n: 2 },
          Rng.fromSeed(11),
          5000,
        ),
      );
      // Same samples, same choices; only the order of summing the weights differs (≈ 1e-15 relative).
      expect(m.count).toBe(5000);
      expect(Math.abs(m.mean - reference.mean)).toBeLessThan(1e-12);
      expect(Math.abs(m.m2 - reference.m2)).toBeLessThan(1e-9);
    }
  });

  it('estimates the exact error 1 − bᵀC⁻¹b of optimally weighted heads', () => {
    const heads = randomRank1Heads(Rng.fromSeed(8), 8, 32, 'paper');
    const exact = constructionError(heads);
    const [m] = simulateRank1Errors(heads, [exact.weights], Rng.fromSeed(2), 200_000);
    const se = Math.sqrt(m.m2 / (m.count - 1) / m.count);
    // Five standard errors: a sound simulator fails this once in 1.7 million runs.
    expect(Math.abs(m.mean - exact.error)).toBeLessThan(5 * se);
  });

  it('gives the same moments bit for bit when workers score the pieces, over more than one round of draws and a short last piece', async () => {
    const heads = randomRank1Heads(Rng.fromSeed(5), 4, 3, 'paper');
    const weights = [Float64Array.of(0.5, -0.2, 0.9), Float64Array.of(1, 1, 1)];
    // Two rounds of 64 pieces of 4096 samples, the last piece 1 sample long.
    const samples = 2 * 64 * 4096 + 4097;
    const serial = simulateRank1Errors(heads, weights, Rng.fromSeed(6), samples);
    expect(await simulateRank1ErrorsOnWorkers(heads, weights, Rng.fromSeed(6), samples, undefined, 2)).toEqual(serial);
  });
});
