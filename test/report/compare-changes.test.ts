import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareReports } from '../../src/report/compare.js';
import { comparisonPower } from '../../src/report/compare-power.js';
import { SpreadTable } from '../../src/report/metric-spread.js';
import type { Report } from '../../src/report/schema.js';
import { runStability } from '../../src/session/stability-run.js';
import { runVerify } from '../../src/session/verify-run.js';
import { text } from '../../src/core/format.js';
import { Rng } from '../../src/core/rng.js';
import { defineCheck, type Claim } from '../../src/core/vocabulary.js';
import { HOLDING } from './synthetic-claims.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'rankcheck-changes-'));
const report = async () =>
  (await runVerify({ claims: [HOLDING], budget: 'quick', seed: 7, outDir: tmp(), shard: null, resume: null })).document;
const stabilityOf = async (claim: Claim) =>
  new SpreadTable(
    (
      await runStability({
        claims: [claim],
        budget: 'quick',
        seeds: [0, 1, 2, 3, 4, 5, 6, 7],
        outDir: tmp(),
        shard: null,
        resume: null,
      })
    ).document,
  );

// The synthetic draw is uniform on [0, 1): over 8 seeds its margin spreads over most of that range.
const spreads = async () => stabilityOf(HOLDING);
const draw = (r: Report) => r.claims[0].checks.find((c) => c.name === 'draw-is-non-negative')!;

describe('the change tier of compare', () => {
  it('names a number that moved within its seed spread, with base, current and allowance, and --strict fails it', async () => {
    const [base, table] = [await report(), await spreads()];
    const moved: Report = structuredClone(base);
    draw(moved).margin = draw(base).margin! * 1.05;
    // As if the check had drawn other inputs: the seed spread, not reproduction, judges it.
    draw(moved).fingerprint = '0123456789abcdef';
    const cmp = compareReports(base, moved, { spreads: table });
    expect(cmp.regressions).toEqual([]);
    expect(cmp.changes).toHaveLength(1);
    expect(cmp.changes[0]).toMatch(
      /check draw-is-non-negative: margin: .* → .* \(allowed .* by seed-spread, \+5\.0%\)/,
    );
    const entry = cmp.numbers.find((n) => n.where.endsWith('draw-is-non-negative: margin'))!;
    expect(entry).toMatchObject({ rule: 'seed-spread', outcome: 'changed', base: draw(base).margin });
  });

  it('lists nothing when every number reproduces, and says each judged number’s rule and outcome', async () => {
    const base = await report();
    const cmp = compareReports(base, structuredClone(base), { spreads: await spreads() });
    expect(cmp.changes).toEqual([]);
    expect(cmp.numbers.length).toBeGreaterThan(0);
    expect(cmp.numbers.every((n) => n.outcome === 'same')).toBe(true);
  });

  it('states the power: by the seed spread where inputs differ, by rounding where every unit drew the same', async () => {
    const [base, table] = [await report(), await spreads()];
    const redrawn: Report = structuredClone(base);
    for (const c of redrawn.claims[0].checks) c.fingerprint = '0123456789abcdef';
    const spread = comparisonPower(compareReports(base, redrawn, { spreads: table })).find(
      (x) => x.claim === HOLDING.id,
    )!;
    expect(spread.seedDependent).toBeGreaterThan(0);
    expect(spread.worst!).toBeGreaterThanOrEqual(spread.median!);
    const paired = comparisonPower(compareReports(base, base, { spreads: table })).find((x) => x.claim === HOLDING.id)!;
    expect(paired.seedDependent).toBe(0);
    expect(paired.exact).toBeGreaterThan(0);
  });
});

/** A claim whose one check reports a uniform draw, taken before or after a normal one from the same stream. */
function drawingClaim(order: 'uniform-first' | 'normal-first'): Claim {
  return {
    ...HOLDING,
    id: 'synthetic-order',
    checks: [
      defineCheck({
        name: 'uniform-draw',
        kind: 'statistical',
        description: 'one uniform draw',
        sizes: { quick: '1 draw' },
        sentinels: { never: 'always caught' },
        run: (ctx, sentinel) => {
          const rng = Rng.fromSeed(ctx.seed);
          if (order === 'normal-first') rng.normal();
          const u = rng.nextDouble();
          if (order === 'uniform-first') rng.normal();
          return { verdict: sentinel ? 'violated' : 'holds', summary: text`u = ${u}`, metrics: { u }, margin: u };
        },
      }),
    ],
    figures: [],
  };
}

const verifyOf = async (claim: Claim) =>
  (await runVerify({ claims: [claim], budget: 'quick', seed: 7, outDir: tmp(), shard: null, resume: null })).document;
describe('compare with draw fingerprints', () => {
  it('calls a 5% drift in a unit that drew the same inputs a regression: same inputs, different result', async () => {
    const base = await report();
    const drifted: Report = structuredClone(base);
    draw(drifted).margin = draw(base).margin! * 1.05;
    const cmp = compareReports(base, drifted, { spreads: await spreads() });
    expect(draw(base).fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(cmp.regressions.some((r) => r.includes('margin moved') && r.includes('same inputs, different result'))).toBe(
      true,
    );
  });

  it('names the same drift after an intended change of draws as a change, and the unit as one that drew differently', async () => {
    const base = await report();
    const redrawn: Report = structuredClone(base);
    draw(redrawn).margin = draw(base).margin! * 1.05;
    draw(redrawn).fingerprint = '0123456789abcdef';
    const cmp = compareReports(base, redrawn, { spreads: await spreads() });
    expect(cmp.regressions).toEqual([]);
    expect(cmp.changes.some((c) => c.includes('draw-is-non-negative: margin'))).toBe(true);
    expect(cmp.notes.some((n) => n.includes('drew differently: synthetic-holds/check/draw-is-non-negative'))).toBe(
      true,
    );
  });

  it('finds no regression in a change of draw order alone (same distribution): the fingerprints differ, the seed spread judges', async () => {
    const before = drawingClaim('uniform-first');
    const after = drawingClaim('normal-first');
    const [base, current] = [await verifyOf(before), await verifyOf(after)];
    const u = (r: Report) => r.claims[0].checks[0];
    expect(u(current).metrics.u).not.toBe(u(base).metrics.u);
    expect(u(current).fingerprint).not.toBe(u(base).fingerprint);
    const cmp = compareReports(base, current, { spreads: await stabilityOf(before) });
    expect(cmp.regressions).toEqual([]);
    expect(cmp.changes.some((c) => c.includes('uniform-draw: metric u'))).toBe(true);
  });
});
