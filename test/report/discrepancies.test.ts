import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { text } from '../../src/core/format.js';
import { Rng } from '../../src/core/rng.js';
import { defineCheck, type Claim, type Verdict } from '../../src/core/vocabulary.js';
import { runStability } from '../../src/session/stability-run.js';
import { runVerify } from '../../src/session/verify-run.js';
import { HOLDING } from './synthetic-claims.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'rankcheck-discrepancies-'));

/** A discrepancy audit whose verdict is given per seed, with one simulated finding and one exact one. */
function audited(id: string, verdictAt: (seed: number) => Verdict): Claim {
  const audit = defineCheck({
    name: 'recipe-audit',
    kind: 'discrepancy',
    description: 'a published number against its recomputation',
    sizes: { quick: 'one point' },
    sentinels: { 'departures-removed': 'the recipe without its departures' },
    run: (ctx, s) => ({
      verdict: s ? 'violated' : verdictAt(ctx.seed),
      summary: text`audited`,
      metrics: {},
      discrepancies: [
        {
          source: 'script.py',
          quantity: 'an error',
          published: 0.18,
          recomputed: 0.2,
          interval: [0.198, 0.202],
          level: 0.999,
          cause: 'raw keys',
        },
        {
          source: 'script.py',
          quantity: 'another error',
          published: 0.3,
          recomputed: 0,
          interval: null,
          level: null,
          cause: 'x',
        },
      ],
    }),
  });
  return { ...HOLDING, id, checks: [...HOLDING.checks, audit], figures: [] };
}

describe('discrepancies', () => {
  it('never decide a claim or the exit code: an unconfirmed audit leaves a holding claim holding', async () => {
    const { document: report } = await runVerify({
      claims: [audited('audited', () => 'violated')],
      budget: 'quick',
      seed: 7,
      outDir: tmp(),
      shard: null,
      resume: null,
    });
    expect(report.claims[0].verdict).toBe('holds');
    expect(report.claims[0].confidence).toMatch(/^2 of 2 checks hold/);
    expect(report.discrepancies.map((x) => [x.quantity, x.confirmed])).toEqual([
      ['an error', false],
      ['another error', null],
    ]);
  });

  it('are listed at the top level with their relative difference, and in both reports', async () => {
    const dir = tmp();
    const { document: report } = await runVerify({
      claims: [audited('audited', () => 'holds')],
      budget: 'quick',
      seed: 7,
      outDir: dir,
      shard: null,
      resume: null,
    });
    const [first, second] = report.discrepancies;
    expect(first).toMatchObject({ claim: 'audited', check: 'recipe-audit', confirmed: true });
    expect(first.relativeDifference).toBeCloseTo(-0.1, 12);
    // A recomputed 0 has no relative difference (not ±Infinity, not NaN).
    expect(second.relativeDifference).toBeNull();
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toMatch(
      /## Discrepancies in the paper’s computations[\s\S]*\| audited \| an error \| 0\.18 \| 0\.2 \| -10%/,
    );
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toMatch(
      /<h2 id="discrepancies">[\s\S]*<table class="discrepancies">/,
    );
  });

  it('make a claim flaky in the stability audit when the finding comes and goes with the seed', async () => {
    const coin = (seed: number): Verdict => (Rng.fromSeed(seed).nextDouble() < 0.5 ? 'holds' : 'violated');
    const { document: file } = await runStability({
      claims: [audited('steady', () => 'holds'), audited('coin', coin)],
      budget: 'quick',
      seeds: Array.from({ length: 12 }, (_, k) => k),
      outDir: tmp(),
      shard: null,
      resume: null,
    });
    const [steady, flipping] = file.summary.claims;
    expect(steady.label).toBe('stable');
    expect(flipping.label).toBe('flaky');
    // The claim's own verdict is holds at every seed: only the audit flips.
    expect(flipping.verdicts.holds).toBe(12);
  });
});
