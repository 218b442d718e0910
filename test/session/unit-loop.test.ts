import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { text } from '../../src/core/format.js';
import { runScopedCache, runScopedEntries } from '../../src/core/run-cache.js';
import { defineCheck, type Claim } from '../../src/core/vocabulary.js';
import { runStability } from '../../src/session/stability-run.js';
import { runVerify } from '../../src/session/verify-run.js';

// A check that fills a run-scoped cache with one entry per unit seed and reports how many entries it saw.
const seen = runScopedCache<number, true>();
const CACHING: Claim = {
  id: 'caching',
  title: 'A claim whose check caches by seed',
  paperRef: 'test',
  statement: 'the cache holds only this run',
  reconstructed: false,
  sources: { proofNote: 'proofs-notes/fact-1.md', code: [], checks: 'test/session/unit-loop.test.ts' },
  checks: ['a', 'b'].map((name) =>
    defineCheck({
      name,
      kind: 'exact',
      description: 'caches its seed',
      sizes: { quick: 'once' },
      sentinels: { never: 'a sentinel that is always caught' },
      run: (ctx, sentinel) => {
        seen.set(ctx.seed, true);
        return {
          verdict: sentinel ? 'violated' : 'holds',
          summary: text`cached`,
          metrics: { entries: runScopedEntries() },
        };
      },
    }),
  ),
  figures: [],
};
const tmp = () => mkdtempSync(join(tmpdir(), 'rankcheck-loop-'));

describe('the unit loop', () => {
  it('empties run-scoped caches when the root seed changes, so a many-seed run holds one seed at a time', async () => {
    const { document } = await runStability({
      claims: [CACHING],
      budget: 'quick',
      seeds: [0, 1, 2],
      outDir: tmp(),
      shard: null,
      resume: null,
    });
    // Per seed: check a, its sentinel, check b, its sentinel; a and b have their own seeds (2 entries at most).
    const entries = document.records.filter((r) => r.kind === 'check').map((r) => r.metrics.entries);
    expect(entries).toEqual([1, 2, 1, 2, 1, 2]);
    expect(runScopedEntries()).toBe(0);
  });

  it('records on every unit what ran it, and the report names those backends', async () => {
    const { document } = await runVerify({
      claims: [CACHING],
      budget: 'quick',
      seed: 0,
      outDir: tmp(),
      shard: null,
      resume: null,
    });
    const ranOn = document.claims[0].checks.map((c) => c.ranOn);
    expect(ranOn.every((r) => r !== undefined && r.evaluator.startsWith('float64-'))).toBe(true);
    expect(document.provenance.backend).toBe(ranOn[0]!.evaluator);
  });
});
