import { describe, expect, it } from 'vitest';
import { fullRankHead, randomAttention } from '../../src/model/constructions.js';
import { Rng } from '../../src/core/rng.js';
import { estimateError } from '../../src/model/monte-carlo.js';

const task = (beta: number, n = 4) => ({
  layer: fullRankHead(8, beta).spec,
  target: { kind: 'nearest' as const },
  dist: 'unif' as const,
  n,
});

describe('Monte Carlo error estimation', () => {
  it('gives bit-identical results on this thread and on two worker threads', async () => {
    const opts = { samples: 10_000, seed: 99, chunkSize: 1024 };
    const here = await estimateError(task(3), { ...opts, workers: 0 });
    const there = await estimateError(task(3), { ...opts, workers: 2 });
    expect(there.workersUsed).toBe(2);
    expect(here.workersUsed).toBe(0);
    expect(there.mean).toBe(here.mean);
    expect(there.moments).toEqual(here.moments);
    expect(there.interval).toEqual(here.interval);
  });

  it('is reproducible from its seed and changes with it', async () => {
    const a = await estimateError(task(2), { samples: 3000, seed: 1, workers: 0 });
    const b = await estimateError(task(2), { samples: 3000, seed: 1, workers: 0 });
    const c = await estimateError(task(2), { samples: 3000, seed: 2, workers: 0 });
    expect(b.mean).toBe(a.mean);
    expect(c.mean).not.toBe(a.mean);
  });

  it('an interrupted run keeps the finished chunks: it equals a shorter run', async () => {
    const abort = new AbortController();
    const partial = await estimateError(task(2), {
      samples: 20 * 512,
      seed: 4,
      chunkSize: 512,
      workers: 0,
      signal: abort.signal,
      onProgress: (done) => done === 5 && abort.abort(),
    });
    expect(partial.complete).toBe(false);
    expect(partial.samples).toBe(5 * 512);
    const shorter = await estimateError(task(2), { samples: 5 * 512, seed: 4, chunkSize: 512, workers: 0 });
    expect(partial.mean).toBe(shorter.mean);
  });

  it('runs generalized heads (score functions cannot cross threads) on this thread', async () => {
    const base = randomAttention(Rng.fromSeed(1), 4, 1, 2);
    const layer = {
      ...base.spec,
      heads: base.spec.heads.map((h) => ({
        ...h,
        score: (p: Float64Array, X: Float64Array, o: number, i: number) => p[0] * X[o] + 0.1 * i,
      })),
    };
    const est = await estimateError(
      { layer, target: { kind: 'nearest' }, dist: 'ortho', n: 2 },
      { samples: 5000, seed: 3 },
    );
    expect(est.workersUsed).toBe(0);
    expect(est.interval.lo).toBeLessThanOrEqual(est.mean);
  });

  it('rejects fewer than two samples', async () => {
    await expect(estimateError(task(1), { samples: 1, seed: 0 })).rejects.toThrow(RangeError);
  });
});
