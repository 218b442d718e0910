import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stabilityExitCode, stabilityUnits } from '../../src/audit/stability.js';
import { text } from '../../src/core/format.js';
import { Rng } from '../../src/core/rng.js';
import { defineCheck, type Claim } from '../../src/core/vocabulary.js';
import { mergeStabilityFiles } from '../../src/report/merge.js';
import { runStability } from '../../src/session/stability-run.js';
import type { StabilityFile } from '../../src/report/stability-schema.js';

/** A uniform draw in [0, 1) from the unit's seed: what a sampled check depends on. */
const draw = (seed: number) => Rng.fromSeed(seed).nextDouble();
const SOURCES = { proofNote: 'proofs-notes/fact-1.md', code: [], checks: 'test/audit/stability.test.ts' };

function claim(id: string, check: Parameters<typeof defineCheck>[0]): Claim {
  return {
    id,
    title: id,
    paperRef: 'test',
    statement: id,
    reconstructed: false,
    sources: SOURCES,
    checks: [check],
    figures: [],
  };
}

const quickOnly = { quick: 'one draw' };

/** Holds at every seed (a draw is never negative); its sentinel is caught at every seed. */
const STABLE = claim(
  'stable',
  defineCheck({
    name: 'non-negative',
    kind: 'statistical',
    description: 'a draw ≥ 0',
    sizes: quickOnly,
    sentinels: { negated: 'the draw negated and shifted' },
    margin: 'the draw',
    run: (ctx, s) => {
      const x = draw(ctx.seed) - (s === 'negated' ? 2 : 0);
      return { verdict: x >= 0 ? 'holds' : 'violated', summary: text`x = ${x}`, metrics: { x }, margin: x };
    },
  }),
);

/** Holds where the draw exceeds 0.3, inconclusive elsewhere: its verdict depends on the seed. */
const FLAKY = claim(
  'flaky',
  defineCheck({
    name: 'above-0.3',
    kind: 'statistical',
    description: 'a draw above 0.3',
    sizes: quickOnly,
    sentinels: { always: 'a check forced to violated' },
    margin: 'the draw minus 0.3',
    run: (ctx, s) => {
      const x = draw(ctx.seed);
      return {
        verdict: s ? 'violated' : x > 0.3 ? 'holds' : 'inconclusive',
        summary: text`x = ${x}`,
        metrics: { x },
        margin: x - 0.3,
      };
    },
  }),
);

/** Always holds, but its sentinel is caught only where the draw exceeds 0.5: blind at some seeds. */
const BLIND = claim(
  'blind',
  defineCheck({
    name: 'half-blind',
    kind: 'statistical',
    description: 'a check that sees its sentinel half the time',
    sizes: quickOnly,
    sentinels: { sometimes: 'caught when the draw exceeds 0.5' },
    run: (ctx, s) => ({ verdict: s && draw(ctx.seed) > 0.5 ? 'violated' : 'holds', summary: text`x`, metrics: {} }),
  }),
);

let deterministicRuns = 0;
/** Seed-free: runs once, at the first seed, and counts for all. */
const DETERMINISTIC = claim(
  'deterministic',
  defineCheck({
    name: 'one-plus-one',
    kind: 'exact',
    description: '1 + 1 = 2',
    sizes: quickOnly,
    seedFree: true,
    sentinels: { 'off-by-one': '1 + 1 = 3' },
    run: (_ctx, s) => {
      deterministicRuns++;
      return { verdict: (s ? 3 : 2) === 1 + 1 ? 'holds' : 'violated', summary: text`1 + 1`, metrics: {} };
    },
  }),
);

const CLAIMS = [STABLE, FLAKY, BLIND, DETERMINISTIC];
const SEEDS = Array.from({ length: 12 }, (_, k) => k);
const tmp = () => mkdtempSync(join(tmpdir(), 'rankcheck-stability-'));
const run = (o: Partial<Parameters<typeof runStability>[0]> = {}) =>
  runStability({ claims: CLAIMS, budget: 'quick', seeds: SEEDS, outDir: tmp(), shard: null, resume: null, ...o });

/** A file without what may differ between identical runs: timestamps and durations. */
const timeless = (f: StabilityFile) =>
  JSON.parse(JSON.stringify(f, (k, v: unknown) => (k === 'startedAt' || k === 'durationMs' ? 0 : v)));

describe('the stability audit', () => {
  it('labels a stable claim stable, a flaky one flaky (naming its seeds), a blind one blind, a seed-free one stable', async () => {
    const { document: file } = await run();
    const by = Object.fromEntries(file.summary.claims.map((c) => [c.id, c]));
    expect(by.stable.label).toBe('stable');
    expect(by.stable.verdicts.holds).toBe(SEEDS.length);
    expect(by.flaky.label).toBe('flaky');
    expect(by.flaky.flakySeeds.length).toBeGreaterThan(0);
    for (const s of by.flaky.flakySeeds) expect(SEEDS).toContain(s);
    expect(by.blind.label).toBe('blind');
    expect(by.blind.sentinels[0].caught).toBeLessThan(SEEDS.length);
    expect(by.deterministic.label).toBe('stable');
    expect(by.deterministic.checks[0].seedFree).toBe(true);
    expect(by.deterministic.sentinels[0]).toEqual({
      name: 'off-by-one',
      check: 'one-plus-one',
      caught: SEEDS.length,
      of: SEEDS.length,
    });
    expect(stabilityExitCode(file.summary)).toBe(1);
    expect(stabilityExitCode({ ...file.summary, claims: [by.stable, by.deterministic] })).toBe(0);
  });

  it('reports pass rates and the worst-seed margin of each check', async () => {
    const { document: file } = await run();
    const flaky = file.summary.claims.find((c) => c.id === 'flaky')!.checks[0];
    const draws = SEEDS.map((s) => draw(stabilityUnits([FLAKY], 'quick', [s])[0].unit.seed));
    expect(flaky.passRate).toBeCloseTo(draws.filter((x) => x > 0.3).length / SEEDS.length, 12);
    expect(flaky.worstMargin).toBeCloseTo(Math.min(...draws) - 0.3, 12);
    expect(flaky.marginUnit).toBe('the draw minus 0.3');
  });

  it('runs a seed-free check once, not once per seed', async () => {
    deterministicRuns = 0;
    await run({ claims: [DETERMINISTIC] });
    // The check and its sentinel, once each.
    expect(deterministicRuns).toBe(2);
    expect(stabilityUnits([DETERMINISTIC], 'quick', SEEDS)).toHaveLength(2);
  });

  it('resumed after an interruption, gives the same file as an uninterrupted run', async () => {
    const dir = tmp();
    const abort = new AbortController();
    const first = await run({ outDir: dir, signal: abort.signal, onUnitDone: (_r, i) => i === 9 && abort.abort() });
    expect(first.interrupted).toBe(true);
    expect(first.document.partial).toBe(true);
    expect(first.document.records).toHaveLength(10);
    // The seeds not reached count as not-run: an interrupted stable claim is not flaky.
    const stable = first.document.summary.claims.find((c) => c.id === 'stable')!;
    expect(stable.label).toBe('stable');
    expect(stable.verdicts['not-run']).toBeGreaterThan(0);
    expect(stable.verdicts.holds + stable.verdicts['not-run']).toBe(SEEDS.length);
    const resumed = await run({ outDir: dir, resume: first.document });
    expect(resumed.document.partial).toBe(false);
    expect(timeless(resumed.document)).toEqual(timeless((await run()).document));
  });

  it('split into shards and merged, gives the same file as the whole run', async () => {
    const shards = await Promise.all([1, 2, 3].map((index) => run({ shard: { index, count: 3 } })));
    const ids = shards.flatMap((s) => s.document.records.map((r) => r.id));
    expect(new Set(ids).size).toBe(ids.length);
    const merged = mergeStabilityFiles(
      shards.map((s) => s.document),
      CLAIMS,
    );
    const whole = (await run()).document;
    expect(timeless({ ...merged, provenance: whole.provenance })).toEqual(timeless(whole));
  });
});
