import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { sampleContexts } from '../../src/core/sphere.js';
import {
  buildDepthNetwork,
  evaluateDepthNetwork,
  majorityVoteIndex,
  sampleDirections,
} from '../../src/model/depth-network.js';

describe('the two-layer majority-vote network', () => {
  it('layer 2 reads the vote margin with one rank-1 head for N = 2 and all counts for larger N', () => {
    const rng = Rng.fromSeed(1);
    const two = buildDepthNetwork({
      d: 5,
      n: 2,
      heads: 3,
      directions: sampleDirections(rng, 5, 3),
      positional: 'concat',
    });
    expect([two.layer1.r, two.layer2.r, two.width]).toEqual([1, 1, 9]);
    const four = buildDepthNetwork({
      d: 5,
      n: 4,
      heads: 3,
      directions: sampleDirections(rng, 5, 3),
      positional: 'concat',
    });
    expect([four.layer1.r, four.layer2.r, four.width]).toEqual([1, 4, 13]);
  });

  it('a tie of an even vote picks x_1, like the target', () => {
    // Two heads along e_1 and e_2 with y = (1, 1, 0)/√2: they disagree whenever x_1, x_2 split them.
    const d = 3;
    const directions = Float64Array.from([1, 0, 0, 0, 1, 0]);
    const X = Float64Array.from([1, 0, 0, 0, 1, 0]);
    const Y = Float64Array.from([Math.SQRT1_2, -Math.SQRT1_2, 0]);
    const net = buildDepthNetwork({ d, n: 2, heads: 2, directions, positional: 'concat' });
    expect(majorityVoteIndex(directions, 2, X, Y, { size: 1, n: 2, d })[0]).toBe(0);
    expect(Array.from(evaluateDepthNetwork(net, X, Y, 1))).toEqual([1, 0, 0]);
  });

  it('with additive positions it stops computing the vote', () => {
    const rng = Rng.fromSeed(4);
    const d = 16;
    const directions = sampleDirections(rng, d, 31);
    const b = sampleContexts(rng, 'ortho', { d, n: 2, size: 200 });
    const add = evaluateDepthNetwork(
      buildDepthNetwork({ d, n: 2, heads: 31, directions, positional: 'additive', alpha: 1 }),
      b.X,
      b.Y,
      200,
    );
    const pick = majorityVoteIndex(directions, 31, b.X, b.Y, { size: 200, n: 2, d });
    let differ = 0;
    for (let s = 0; s < 200; s++) if (Math.abs(add[s * d] - b.X[(s * 2 + pick[s]) * d]) > 1e-9) differ++;
    expect(differ).toBeGreaterThan(20);
  });
});
