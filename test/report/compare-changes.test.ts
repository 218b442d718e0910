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
import { HOLDING } from './synthetic-claims.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'rankcheck-changes-'));
const report = async () =>
  (await runVerify({ claims: [HOLDING], budget: 'quick', seed: 7, outDir: tmp(), shard: null, resume: null })).document;
// The synthetic draw is uniform on [0, 1): over 8 seeds its margin spreads over most of that range.
const spreads = async () =>
  new SpreadTable(
    (
      await runStability({
        claims: [HOLDING],
        budget: 'quick',
        seeds: [0, 1, 2, 3, 4, 5, 6, 7],
        outDir: tmp(),
        shard: null,
        resume: null,
      })
    ).document,
  );
const draw = (r: Report) => r.claims[0].checks.find((c) => c.name === 'draw-is-non-negative')!;

describe('the change tier of compare', () => {
  it('names a number that moved within its seed spread, with base, current and allowance, and --strict fails it', async () => {
    const [base, table] = [await report(), await spreads()];
    const moved: Report = structuredClone(base);
    draw(moved).margin = draw(base).margin! * 1.05;
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

  it('states the power: the smallest relative move a seed-dependent number would flag is its allowance over its value', async () => {
    const base = await report();
    const power = comparisonPower(compareReports(base, base, { spreads: await spreads() }));
    const p = power.find((x) => x.claim === HOLDING.id)!;
    expect(p.seedDependent).toBeGreaterThan(0);
    expect(p.worst!).toBeGreaterThanOrEqual(p.median!);
  });
});
