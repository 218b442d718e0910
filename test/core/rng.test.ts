import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { normalCdf } from '../../src/core/special.js';
import { binomialTest, ksTest, meanInterval, momentsOf } from '../../src/core/stats.js';

// Statistical assertions below use p > 1e-6: a correct generator fails one with probability 1e-6,
// while a real defect at these sample sizes gives p-values many orders of magnitude smaller.
const ALPHA = 1e-6;

describe('Rng', () => {
  it('matches the xoshiro128** reference output (scripts/reference/xoshiro128ss.c)', () => {
    const rng = Rng.fromKey([1, 2, 3, 4]);
    const got = Array.from({ length: 10 }, () => rng.nextUint32());
    expect(got).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804,
    ]);
  });

  it('reproduces a stream from its seed and differs between seeds', () => {
    const a = Rng.fromSeed(42);
    const b = Rng.fromSeed(42);
    const c = Rng.fromSeed(43);
    const xs = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(xs);
  });

  it('splits into children that do not depend on how much the parent was used', () => {
    const fresh = Rng.fromSeed(7);
    const used = Rng.fromSeed(7);
    for (let i = 0; i < 1000; i++) used.nextUint32();
    expect(used.split(3).nextUint32()).toBe(fresh.split(3).nextUint32());
    expect(Rng.fromKey(fresh.split(3).key).nextDouble()).toBe(fresh.split(3).nextDouble());
    const firsts = new Set(Array.from({ length: 1000 }, (_, i) => fresh.split(i).nextUint32()));
    expect(firsts.size).toBeGreaterThan(995); // 1000 draws from 2^32 collide with probability ≈ 1e-4
  });

  it('names child streams by label, distinct from numbered ones', () => {
    const r = Rng.fromSeed(1);
    expect(r.splitNamed('mc').nextUint32()).toBe(Rng.fromSeed(1).splitNamed('mc').nextUint32());
    expect(r.splitNamed('mc').nextUint32()).not.toBe(r.splitNamed('init').nextUint32());
  });

  it('rejects seeds that are not non-negative safe integers', () => {
    expect(() => Rng.fromSeed(-1)).toThrow(RangeError);
    expect(() => Rng.fromSeed(1.5)).toThrow(RangeError);
    expect(() => Rng.fromSeed(2 ** 53)).toThrow(RangeError);
  });

  it('draws uniform doubles in [0, 1)', () => {
    const rng = Rng.fromSeed(11);
    const xs = Array.from({ length: 100_000 }, () => rng.nextDouble());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(ksTest(xs, (x) => x).pValue).toBeGreaterThan(ALPHA);
  });

  it('draws unbiased bounded integers', () => {
    const rng = Rng.fromSeed(12);
    const counts = new Array(3).fill(0);
    for (let i = 0; i < 30_000; i++) counts[rng.nextInt(3)]++;
    for (const c of counts) expect(binomialTest(c, 30_000, 1 / 3).pValue).toBeGreaterThan(ALPHA);
  });

  it('draws standard normals: the law, the moments and the ziggurat tail', () => {
    const rng = Rng.fromSeed(13);
    const n = 400_000;
    const xs = new Float64Array(n);
    rng.fillNormal(xs, 0, n);
    expect(ksTest(xs, normalCdf).pValue).toBeGreaterThan(ALPHA);
    const m = momentsOf(xs);
    const ci = meanInterval(m, 1 - ALPHA);
    expect(ci.lo).toBeLessThan(0);
    expect(ci.hi).toBeGreaterThan(0);
    const squares = momentsOf(xs.map((x) => x * x));
    expect(Math.abs(squares.mean - 1)).toBeLessThan(5.5 * Math.sqrt(2 / n)); // Var(X²) = 2; 5.5σ ≈ 1e-7 two-sided
    // Beyond the base layer's edge r ≈ 3.4426 the sampler switches to its tail algorithm.
    let tail = 0;
    for (const x of xs) if (Math.abs(x) > 3.442619855899) tail++;
    expect(binomialTest(tail, n, 2 * normalCdf(-3.442619855899)).pValue).toBeGreaterThan(ALPHA);
  });
});

describe('Rng.fillNormal', () => {
  it('gives exactly the numbers that repeated normal() calls give, slow paths included', () => {
    const a = Rng.fromSeed(21);
    const b = Rng.fromSeed(21);
    const filled = new Float64Array(20_000); // ≈ 1% of draws take the wedge or tail path
    a.fillNormal(filled, 0, filled.length);
    for (let j = 0; j < filled.length; j++) expect(filled[j]).toBe(b.normal());
    expect(a.nextUint32()).toBe(b.nextUint32());
  });
});
