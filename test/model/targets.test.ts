import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { sampleContexts } from '../../src/core/sphere.js';
import {
  biasedNearestNeighbourIndex,
  farthestNeighbourSelfIndex,
  nearestNeighbourIndex,
} from '../../src/model/targets.js';

// Two samples in d = 2, three points each.
const X = Float64Array.from([1, 0, 0, 1, -1, 0, /* sample 2 */ 0.6, 0.8, 0.6, 0.8, 0, -1]);
const Y = Float64Array.from([0.9, 0.1, /* sample 2 */ 0.6, 0.8]);

describe('targets', () => {
  it('nearest neighbour is the largest inner product, ties to the lowest index', () => {
    expect(Array.from(nearestNeighbourIndex(X, Y, { size: 2, n: 3, d: 2 }))).toEqual([0, 0]);
  });

  it('biased nearest neighbour adds a per-position bias', () => {
    expect(Array.from(biasedNearestNeighbourIndex(X, Y, { size: 2, n: 3, d: 2 }, [0, 0.9, 0]))).toEqual([1, 1]);
  });

  it('farthest neighbour in self-attention form answers for every token, ties to the lowest index', () => {
    // Sample 1, token (0, 1): inner products 0, 1, 0 tie between points 0 and 2.
    expect(Array.from(farthestNeighbourSelfIndex(X, { size: 2, n: 3, d: 2 }))).toEqual([2, 0, 0, 2, 2, 0]);
  });

  it('farthest neighbour computes every inner product once and answers as the pairwise definition does', () => {
    // The definition, each ⟨x_i, x_j⟩ summed afresh for every token j: the indices must agree
    // exactly, ties (repeated points) included, since the shared Gram entries are the same bits.
    const byDefinition = (Z: Float64Array, size: number, n: number, d: number) =>
      Array.from({ length: size * n }, (_, t) => {
        const [b, j] = [Math.floor(t / n), t % n];
        let [best, arg] = [Infinity, 0];
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let k = 0; k < d; k++) s += Z[(b * n + i) * d + k] * Z[(b * n + j) * d + k];
          if (s < best) [best, arg] = [s, i];
        }
        return arg;
      });
    const rng = Rng.fromSeed(11);
    for (const [n, d] of [
      [8, 8],
      [16, 64],
      [5, 3],
    ]) {
      const Z = sampleContexts(rng, 'unif', { d, n, size: 200 }).X;
      Z.copyWithin(d, 0, d); // point 1 repeats point 0 in the first sample
      expect(Array.from(farthestNeighbourSelfIndex(Z, { size: 200, n, d }))).toEqual(byDefinition(Z, 200, n, d));
    }
  });
});
