import { describe, expect, it } from 'vitest';
import {
  averageVoteError,
  majorityVoteAsymptote,
  majorityVoteError,
  majorityWrongProbability,
  minimalMajorityHeads,
} from '../../src/theory/majority-vote.js';
import { rankLowerBound } from '../../src/theory/rank-bound.js';

describe('the majority vote of random rank-1 heads', () => {
  it('a single vote is wrong with probability 1 − p, and a tie is a fair coin', () => {
    expect(majorityWrongProbability(1, 0.7)).toBeCloseTo(0.3, 14);
    // Two votes, p = 0.7: both wrong 0.09, a tie 0.42 counted half.
    expect(majorityWrongProbability(2, 0.7)).toBeCloseTo(0.09 + 0.21, 14);
  });

  it('one head errs at 4E[θ/π] over θ < π/2, which is 2/π at d = 3', () => {
    // At d = 3 the angle density is sin θ / 2, so 4∫θ/π · sin θ/2 dθ over [0, π/2] = 2/π.
    expect(majorityVoteError(3, 1).value).toBeCloseTo(2 / Math.PI, 12);
  });

  it('an even number of heads errs exactly as one head fewer does', () => {
    for (const h of [2, 16, 256])
      expect(majorityVoteError(12, h).value).toBeCloseTo(majorityVoteError(12, h - 1).value, 11);
  });

  it('decreases in H towards the √(2π)ρ(0)/√H law', () => {
    const e = [1, 7, 63, 1023, 65535].map((h) => majorityVoteError(32, h).value);
    for (let i = 1; i < e.length; i++) expect(e[i]).toBeLessThan(e[i - 1]);
    // The next-order term is O(1/H): 0.5% at H = 65535 is generous.
    expect(Math.abs(e[4] / majorityVoteAsymptote(32, 65535) - 1)).toBeLessThan(5e-3);
  });

  it('the least H for ε is the first odd count that reaches it', () => {
    const h = minimalMajorityHeads(16, 0.1);
    expect(majorityVoteError(16, h).value).toBeLessThanOrEqual(0.1);
    expect(majorityVoteError(16, h - 2).value).toBeGreaterThan(0.1);
  });

  it('without the vote layer the heads are a one-layer construction, above Theorem 2’s bound', () => {
    for (const [d, h] of [
      [8, 15],
      [8, 4095],
      [32, 255],
    ])
      expect(averageVoteError(d, h).value).toBeGreaterThan(rankLowerBound(d, 1, Math.log10(h)).value);
  });
});
