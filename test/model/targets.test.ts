import { describe, expect, it } from 'vitest';
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
});
