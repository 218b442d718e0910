import { describe, expect, it } from 'vitest';
import { withLedger } from '../../src/core/draw-ledger.js';
import { Rng } from '../../src/core/rng.js';
import { runScopedCache } from '../../src/core/run-cache.js';
import { estimateError } from '../../src/model/monte-carlo.js';
import { fullRankHead } from '../../src/model/constructions.js';

/** The digest of `work` run under a fresh ledger. */
const digestOf = async (work: () => unknown) => (await withLedger(work)).ledger.digest();

const draw = (seed: number, words: number) => () => {
  const rng = Rng.fromSeed(seed);
  for (let k = 0; k < words; k++) rng.nextUint32();
};

describe('the draw ledger', () => {
  it('gives the same digest for the same draws, and another for one more word, another seed or another stream order', async () => {
    const base = await digestOf(draw(1, 10));
    expect(await digestOf(draw(1, 10))).toBe(base);
    expect(await digestOf(draw(1, 11))).not.toBe(base);
    expect(await digestOf(draw(2, 10))).not.toBe(base);
    const twoStreams = (first: number) => () => {
      const root = Rng.fromSeed(3);
      const a = root.split(first);
      const b = root.split(1 - first);
      a.nextDouble();
      b.nextDouble();
    };
    expect(await digestOf(twoStreams(0))).not.toBe(await digestOf(twoStreams(1)));
    // The same stream asked for a normal then a uniform, or the other way round.
    const calls = (normalFirst: boolean) => () => {
      const rng = Rng.fromSeed(4);
      if (normalFirst) rng.normal();
      rng.nextDouble();
      if (!normalFirst) rng.normal();
    };
    expect(await digestOf(calls(true))).not.toBe(await digestOf(calls(false)));
  });

  it('records nothing outside a ledger, and restores the enclosing ledger after a nested one', async () => {
    draw(1, 3)();
    const outer = await withLedger(async () => {
      const inner = await digestOf(draw(1, 3));
      draw(2, 3)();
      return inner;
    });
    expect(outer.ledger.digest()).toBe(await digestOf(draw(2, 3)));
    expect(outer.value).toBe(await digestOf(draw(1, 3)));
  });

  it('folds chunked work the same way whether chunks run here or on worker threads', async () => {
    const layer = fullRankHead(6, 4).spec;
    const run = (workers: number) => () =>
      estimateError(
        { layer, target: { kind: 'nearest' }, dist: 'ortho', n: 3 },
        { samples: 4000, seed: 5, workers, chunkSize: 500 },
      );
    const here = await withLedger(run(0));
    const there = await withLedger(run(2));
    expect(there.value.mean).toBe(here.value.mean);
    expect(there.ledger.digest()).toBe(here.ledger.digest());
    // The chunks' draws count: a different sample size draws differently.
    expect(await digestOf(run(0))).not.toBe(
      await digestOf(() =>
        estimateError(
          { layer, target: { kind: 'nearest' }, dist: 'ortho', n: 3 },
          { samples: 5000, seed: 5, workers: 0 },
        ),
      ),
    );
  });

  it('notes a reused cached result by the digest of the work that computed it', async () => {
    const cache = runScopedCache<string, number>();
    const compute = (words: number) =>
      withLedger(() => {
        draw(7, words)();
        cache.set('k', words);
      });
    const reader = () => cache.get('k');
    await compute(5);
    const after5 = await digestOf(reader);
    await compute(5);
    expect(await digestOf(reader)).toBe(after5);
    await compute(6);
    expect(await digestOf(reader)).not.toBe(after5);
    expect(await digestOf(() => undefined)).not.toBe(after5);
    cache.clear();
  });

  it('names the unit whose cached result another unit reused, once, and not a unit reusing its own', async () => {
    const cache = runScopedCache<string, number>();
    await withLedger(() => {
      cache.set('trained', 1);
      cache.get('trained');
    }, 'claim/check/trains');
    const reader = await withLedger(() => {
      cache.get('trained');
      cache.has('trained');
    }, 'claim/check/reads');
    expect(reader.ledger.reused).toEqual(['claim/check/trains']);
    const own = await withLedger(() => {
      cache.set('again', 2);
      cache.get('again');
    }, 'claim/check/own');
    expect(own.ledger.reused).toEqual([]);
    cache.clear();
  });
});
