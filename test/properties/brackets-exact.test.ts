import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { meanInterval, momentsOf } from '../../src/core/stats.js';
import { bracketHolds, bracketsExact, type Bracket } from '../../properties/support/brackets-exact.js';

/** 0 and 1 alternately: mean ½, whose normal interval at 1 − 1e−4 is ½ ± 0.0195 at n = 10⁴. */
const coin = Float64Array.from({ length: 10_000 }, (_, i) => i % 2);
const NORMAL = { method: 'normal' } as const;
const LEVEL = 1 - 1e-4;
const coinInterval = meanInterval(momentsOf(coin), LEVEL);
const half = (coinInterval.hi - coinInterval.lo) / 2;

/** The property of a check whose one point is `coin` bracketing `exact`, run on every case. */
function run(exact: number, sentinel: 'wrong-exact' | 'over-confident-interval' | null, points = 1) {
  const seen: (string | null)[] = [];
  const margins: number[] = [];
  const spec = bracketsExact({
    name: 'coin-brackets-half',
    description: 'a coin’s mean brackets ½',
    runs: { quick: 3 },
    perCase: `${coin.length} samples`,
    level: LEVEL,
    interval: NORMAL,
    overConfidentFactor: 0.5,
    sentinels: { 'wrong-exact': 'the exact value moved by 1' },
    cases: () => [fc.integer({ min: 0, max: 9 })],
    *brackets(own, _k: number): Generator<Bracket> {
      for (let p = 0; p < points; p++) {
        seen.push(own);
        yield { values: coin, exact: own === 'wrong-exact' ? exact + 1 : exact };
      }
    },
  });
  // The builder's properties are synchronous (fc.property), so fc.check returns its details directly.
  const details = fc.check(
    spec.property(sentinel, 'quick', (e) => margins.push(e.margin)),
    { numRuns: 3, seed: 1, endOnFailure: true },
  ) as fc.RunDetails<unknown[]>;
  return { spec, failed: details.failed, seen, margins };
}

describe('a check that a sample brackets an exact value', () => {
  it('adds the over-confident-interval sentinel after its own, worded with its interval and factor', () => {
    expect(run(0.5, null).spec.sentinels).toEqual({
      'wrong-exact': 'the exact value moved by 1',
      'over-confident-interval': 'the same normal interval with its half-width ×0.5 (same centre)',
    });
  });

  it('holds when the exact value is the sample mean, with margin 1 (centred)', () => {
    const r = run(0.5, null);
    expect(r.failed).toBe(false);
    // 1 up to the rounding of mean ± half-width (a few ulps of ½ over a half-width of ≈ 0.02).
    for (const m of r.margins) expect(m).toBeCloseTo(1, 12);
    expect(r.margins).toHaveLength(3);
  });

  it('rejects its own sentinel, which it is handed as such', () => {
    const r = run(0.5, 'wrong-exact');
    expect(r.failed).toBe(true);
    expect(r.seen[0]).toBe('wrong-exact');
  });

  it('rejects an over-confident interval that misses an exact value the real one holds', () => {
    // ¾ of the way to the end: inside the interval, outside it at half its width.
    expect(run(0.5 + 0.75 * half, null).failed).toBe(false);
    const r = run(0.5 + 0.75 * half, 'over-confident-interval');
    expect(r.failed).toBe(true);
    expect(r.seen[0]).toBe(null);
  });

  it('ends a case at its first point outside the interval', () => {
    expect(run(0.5, 'wrong-exact', 2).seen).toEqual(['wrong-exact']);
  });

  it('fails a Bernstein point with a value outside [0, range] without observing a margin', () => {
    const margins: number[] = [];
    const b = { values: [0, 0.2, 1.5], exact: 0.5 };
    expect(bracketHolds(b, LEVEL, { method: 'bernstein', range: 1 }, 1, (e) => margins.push(e.margin))).toBe(false);
    expect(margins).toEqual([]);
  });
});
