import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unitsFor, shardUnits } from '../../src/audit/units.js';
import { checkDefinitionDigest } from '../../src/core/definition-digest.js';
import { assembleReport, unitResultsOf } from '../../src/report/assemble.js';
import { runVerify } from '../../src/session/verify-run.js';
import { compareReports } from '../../src/report/compare.js';
import { seedAllowance, type MetricSpread } from '../../src/report/metric-spread.js';
import { validateReport, type Report } from '../../src/report/schema.js';
import { HOLDING, SYNTHETIC } from '../report/synthetic-claims.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'rankcheck-audit-'));

/** A report without what may differ between identical runs: timestamps and durations. */
function timeless(r: Report): unknown {
  return JSON.parse(JSON.stringify(r, (k, v: unknown) => (k === 'startedAt' || k === 'durationMs' ? 0 : v)));
}

async function audit(o: Partial<Parameters<typeof runVerify>[0]> = {}) {
  return runVerify({ claims: SYNTHETIC, budget: 'quick', seed: 7, outDir: tmp(), shard: null, resume: null, ...o });
}

describe('the audit', () => {
  it('gives claim verdicts by the rules: a violated check wins, not-built claims are not-run', async () => {
    const { document: report } = await audit();
    expect(report.claims.map((c) => [c.id, c.verdict])).toEqual([
      ['synthetic-holds', 'holds'],
      ['synthetic-violated', 'violated'],
      ['synthetic-pending', 'not-run'],
    ]);
    expect(report.claims[2].notRunReason).toBe('not built yet');
    expect(report.partial).toBe(false);
  });

  it('reports a claim with no check at the budget as not-run, with the claim’s own reason', async () => {
    const standardOnly = {
      ...HOLDING,
      id: 'synthetic-standard-only',
      checks: HOLDING.checks.map((c) => ({ ...c, sizes: { standard: c.sizes.standard ?? 'once' }, sentinels: {} })),
      figures: [],
      notRunAt: { quick: 'too noisy at quick' },
    };
    const { document: report } = await audit({ claims: [standardOnly] });
    expect([report.claims[0].verdict, report.claims[0].notRunReason]).toEqual(['not-run', 'too noisy at quick']);
  });

  it('runs every sentinel and marks the one a blind check misses', async () => {
    const { document: report } = await audit();
    expect(report.sensitivity.map((s) => [s.sentinel, s.caught])).toEqual([
      ['shifted', true],
      ['off-by-one', true],
      ['anything', false],
    ]);
  });

  it('writes report.json, report.md and report.html, and the JSON validates', async () => {
    const dir = tmp();
    await audit({ outDir: dir });
    const json = validateReport(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')));
    expect(json.claims).toHaveLength(3);
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toMatch(/\| \[synthetic-holds\]/);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toMatch(/<svg/);
  });

  it('is deterministic: the same seed and budget give the same report apart from timestamps and durations', async () => {
    const a = await audit();
    const b = await audit();
    expect(timeless(b.document)).toEqual(timeless(a.document));
    const c = await audit({ seed: 8 });
    expect(timeless(c.document)).not.toEqual(timeless(a.document));
  });

  it('runs only the units of the budget (exact-identity has no standard size)', () => {
    expect(unitsFor([HOLDING], 'standard', 0).map((u) => u.id)).not.toContain('synthetic-holds/check/exact-identity');
    expect(unitsFor([HOLDING], 'quick', 0).map((u) => u.id)).toContain('synthetic-holds/check/exact-identity');
  });

  it('an interrupted run keeps what finished, and resuming it gives the uninterrupted report', async () => {
    const dir = tmp();
    const abort = new AbortController();
    const first = await audit({ outDir: dir, signal: abort.signal, onUnitDone: (_r, i) => i === 1 && abort.abort() });
    expect(first.interrupted).toBe(true);
    expect(first.document.partial).toBe(true);
    expect(first.document.completedUnits).toHaveLength(2);
    const saved = validateReport(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')));
    expect(saved.partial).toBe(true);
    const resumed = await audit({ outDir: dir, resume: saved });
    expect(resumed.document.partial).toBe(false);
    expect(timeless(resumed.document)).toEqual(timeless((await audit()).document));
  });

  it('shards split the units disjointly, and the merged shards give the unsharded report', async () => {
    const all = unitsFor(SYNTHETIC, 'quick', 7).map((u) => u.id);
    const parts = [1, 2, 3].map((i) => shardUnits(unitsFor(SYNTHETIC, 'quick', 7), i, 3).map((u) => u.id));
    expect(parts.flat().sort()).toEqual([...all].sort());
    const shards = await Promise.all([1, 2, 3].map((index) => audit({ shard: { index, count: 3 } })));
    for (const s of shards) expect(s.document.partial).toBe(true);
    const whole = (await audit()).document;
    const merged = assembleReport({
      toolVersion: whole.tool.version,
      provenance: { ...whole.provenance },
      claims: SYNTHETIC,
      expectedUnits: all,
      results: shards.flatMap((s) => unitResultsOf(s.document)),
    });
    expect(timeless(merged)).toEqual(timeless(whole));
  });
});

/** A stability baseline at quick, seed 0, that measured HOLDING's given checks (with their definition digests) and sentinels. */
function measuredBaseline(
  checks: { name: string; definition?: string }[],
  sentinels: { name: string; check: string }[],
) {
  const measured = {
    id: HOLDING.id,
    label: 'stable' as const,
    verdicts: { holds: 1, violated: 0, inconclusive: 0, 'not-run': 0 },
    flakySeeds: [],
    blindSeeds: [],
    checks: checks.map((c) => ({
      passRate: 1,
      worstMargin: null,
      marginUnit: null,
      verdicts: { holds: 1, violated: 0, inconclusive: 0 },
      seedFree: false,
      margins: [null],
      ...c,
    })),
    sentinels: sentinels.map((x) => ({ ...x, caught: 1, of: 1 })),
  };
  return {
    measuredAt: '2026-01-01',
    commit: null,
    durationMs: 0,
    summary: { budget: 'quick' as const, seeds: [0], claims: [measured], complete: true },
  };
}

const holdingSentinels = () =>
  HOLDING.checks.flatMap((c) => Object.keys(c.sentinels ?? {}).map((name) => ({ name, check: c.name })));

describe('stability quoted in a report', () => {
  it('names the checks and sentinels of a claim that the stability measurement predates', async () => {
    const [first, ...rest] = HOLDING.checks;
    const { document: report } = await audit({
      stability: measuredBaseline(
        rest.map((c) => ({ name: c.name })),
        [],
      ),
    });
    const claim = report.claims.find((c) => c.id === HOLDING.id)!;
    const sentinels = holdingSentinels().map((x) => `sentinel ${x.name}@${x.check}`);
    expect(claim.stability?.unmeasured).toEqual([`check ${first.name}`, ...sentinels]);
  });

  it('names a measured check whose definition has changed since, and not one that is unchanged', async () => {
    const [first, second] = HOLDING.checks;
    const stability = measuredBaseline(
      [
        { name: first.name, definition: '00000000' },
        { name: second.name, definition: checkDefinitionDigest(second, 'quick') },
      ],
      holdingSentinels(),
    );
    const { document: report } = await audit({ stability });
    const unmeasured = report.claims.find((c) => c.id === HOLDING.id)!.stability?.unmeasured ?? [];
    expect(unmeasured.filter((u) => u.startsWith('check '))).toEqual([`check ${first.name} (changed since)`]);
  });
});

describe('compare', () => {
  it('finds no regression between a report and itself', async () => {
    const { document: report } = await audit();
    expect(compareReports(report, report).regressions).toEqual([]);
  });

  it('flags a worse verdict, a sentinel no longer caught and an exact metric that moved', async () => {
    const base = (await audit()).document;
    const worse: Report = JSON.parse(JSON.stringify(base));
    worse.claims[0].verdict = 'inconclusive';
    worse.sensitivity[0].caught = false;
    worse.claims[0].checks[0].metrics.x = (base.claims[0].checks[0].metrics.x ?? 0) + 1e-6;
    const { regressions } = compareReports(base, worse);
    expect(regressions.some((r) => r.includes('verdict holds → inconclusive'))).toBe(true);
    expect(regressions.some((r) => r.includes('no longer caught'))).toBe(true);
    expect(regressions.some((r) => r.includes('metric x moved'))).toBe(true);
  });

  it('with exact, flags every move beyond rounding, an interval shifted inside its overlap included', async () => {
    const base = (await audit()).document;
    const moved: Report = JSON.parse(JSON.stringify(base));
    const check = moved.claims[0].checks[0];
    // 1e-8 is beyond rounding (1e-9 of max(1, |x|)); an interval shifted by it still overlaps its base, so only --exact sees it.
    check.metrics.x = (check.metrics.x ?? 0) + 1e-8;
    check.ci = [check.ci![0] + 1e-8, check.ci![1] + 1e-8];
    // As if it had drawn other inputs: without --exact only the overlap of the intervals is asked for.
    check.fingerprint = '0123456789abcdef';
    const relaxed = compareReports(base, moved, { spreads: null });
    const exact = compareReports(base, moved, { spreads: null, exact: true });
    expect(relaxed.regressions.filter((r) => r.includes('interval'))).toEqual([]);
    expect(exact.regressions.some((r) => r.includes('metric x moved'))).toBe(true);
    expect(exact.regressions.some((r) => r.includes('interval (lower end) moved'))).toBe(true);
    expect(compareReports(base, base, { spreads: null, exact: true }).regressions).toEqual([]);
  });

  it('names a check and a sentinel the base did not have, and says whether the sentinel was caught', async () => {
    const current = (await audit()).document;
    const base: Report = JSON.parse(JSON.stringify(current));
    const dropped = base.claims[0].checks.pop()!;
    const sentinel = base.sensitivity.pop()!;
    const { regressions, notes } = compareReports(base, current);
    expect(regressions).toEqual([]);
    expect(notes).toContain(`claim ${base.claims[0].id}: new check ${dropped.name} (${dropped.verdict})`);
    expect(
      notes.some((n) => n.startsWith(`new sentinel ${sentinel.claim}/${sentinel.sentinel} on ${sentinel.check}`)),
    ).toBe(true);
  });

  it('judges every number: a doubled key result and a moved figure point are regressions at the same run', async () => {
    const base = (await audit()).document;
    const worse: Report = JSON.parse(JSON.stringify(base));
    const claim = worse.claims.find((c) => typeof c.keyResult?.value === 'number' && c.figures.length > 0);
    expect(claim).toBeDefined();
    claim!.keyResult!.value = 2 * claim!.keyResult!.value!;
    const point = claim!.figures[0].series[0].points[0];
    delete point.lo;
    delete point.hi;
    point.y += 1e-6; // far beyond rounding (1e-9), far inside any plot's resolution
    const { regressions, judged } = compareReports(base, worse);
    expect(regressions.some((r) => r.includes('key result moved'))).toBe(true);
    expect(regressions.some((r) => r.includes(`figure ${claim!.figures[0].id}`))).toBe(true);
    expect(judged.exact + judged['same-inputs']).toBeGreaterThan(0);
  });
});

describe('the seed spread of a number', () => {
  const judgeMove = (spread: MetricSpread, was: number, now: number) => {
    const a = seedAllowance(spread, was);
    return a && { ok: Math.abs(now - was) <= a.allowed };
  };
  // Twenty seeds, sd ≈ 0.014: the band is about t₁₉(1 − 5e-7)·s·√2 ≈ 0.14.
  const spread = { values: Array.from({ length: 20 }, (_, i) => 0.5 + 0.02 * ((i % 5) / 2 - 1)), shared: false };
  it('lets a number move as far as a change of seed moves it, and not twice as far', () => {
    expect(judgeMove(spread, 0.5, 0.53)?.ok).toBe(true);
    expect(judgeMove(spread, 0.5, 1.0)?.ok).toBe(false);
  });
  it('treats a number no seed moves as exact', () => {
    const exact = { values: [0.25, 0.25, 0.25], shared: false };
    expect(judgeMove(exact, 0.25, 0.25 + 1e-12)?.ok).toBe(true);
    expect(judgeMove(exact, 0.25, 0.25 + 1e-6)?.ok).toBe(false);
    expect(judgeMove({ values: [0.25], shared: true }, 0.25, 0.2500001)?.ok).toBe(false);
  });
  it('does not judge a moving number measured at fewer than three seeds', () => {
    expect(judgeMove({ values: [0.1, 0.2], shared: false }, 0.1, 5)).toBeNull();
  });
});

describe('the report schema', () => {
  it('rejects non-finite numbers, unknown verdicts and missing fields, naming the path', async () => {
    const { document: report } = await audit();
    const bad = (mutate: (r: Record<string, any>) => void) => {
      const copy = JSON.parse(JSON.stringify(report));
      mutate(copy);
      return () => validateReport(copy);
    };
    expect(bad((r) => (r.claims[0].checks[0].metrics.x = Number.NaN))).toThrow(/claims\.0\.checks\.0\.metrics\.x/);
    expect(bad((r) => (r.claims[0].verdict = 'probably'))).toThrow(/claims\.0\.verdict/);
    expect(bad((r) => delete r.provenance.seed)).toThrow(/provenance\.seed/);
    expect(bad((r) => (r.schemaVersion = 3))).toThrow(/schemaVersion/);
  });
});

describe('a report that fails to assemble', () => {
  it('is an internal error that keeps the last report that assembled on disk', async () => {
    const dir = tmp();
    const twoChecks = {
      ...HOLDING,
      id: 'synthetic-bad-key-result',
      checks: HOLDING.checks.map((c) => ({ ...c, sentinels: {} })),
      figures: [],
      // A bug in the suite: the key result cannot be computed once both checks are in.
      keyResult: (checks: readonly { name: string }[]) => {
        if (checks.length === 2) throw new RangeError('index out of range in a key result');
        return null;
      },
    };
    await expect(audit({ claims: [twoChecks], outDir: dir })).rejects.toThrow(
      /^assembling the report failed \(index out of range in a key result\); the last report that assembled \(1 of 2 units\)/,
    );
    const kept = validateReport(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')));
    expect([kept.partial, kept.completedUnits]).toEqual([
      true,
      ['synthetic-bad-key-result/check/draw-is-non-negative'],
    ]);
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toMatch(/Partial report/);
  });
});
