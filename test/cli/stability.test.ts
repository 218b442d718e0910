import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectUsageError, runCli } from './run-cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'rankcheck-stability-'));
const timeless = (path: string) =>
  JSON.parse(readFileSync(path, 'utf8'), (k, v: unknown) =>
    k === 'startedAt' || k === 'durationMs' ? 0 : k === 'shard' ? null : v,
  );

describe('rankcheck stability', () => {
  it('runs a claim at two root seeds and prints the documented JSON object (exit 0: stable)', () => {
    const dir = tmp();
    const r = runCli('stability', '--claim', 'theorem-5', '--seeds', '0-1', '--out', dir, '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['budget', 'seeds', 'claims', 'complete']);
    expect(out).toMatchObject({ budget: 'quick', seeds: [0, 1], complete: true });
    const c = out.claims[0];
    expect(c).toMatchObject({
      id: 'theorem-5',
      label: 'stable',
      verdicts: { holds: 2, violated: 0, inconclusive: 0, 'not-run': 0 },
      flakySeeds: [],
    });
    // Seed-free checks ran once and count for both seeds; every sentinel was caught at both.
    expect(c.checks.find((k: { name: string }) => k.name === 'exact-vs-reference')).toMatchObject({
      passRate: 1,
      seedFree: true,
    });
    expect(
      c.checks.find((k: { name: string }) => k.name === 'network-error-matches-exact').worstMargin,
    ).toBeGreaterThan(0);
    for (const s of c.sentinels) expect(s.caught).toBe(s.of);
    for (const f of ['stability.json', 'stability.md', 'stability.html']) expect(existsSync(join(dir, f))).toBe(true);
  }, 120_000);

  it('split into two shards, merges into the file of the whole run', () => {
    const [a, b, whole] = [tmp(), tmp(), tmp()];
    for (const [i, dir] of [a, b].entries())
      expect(
        runCli('stability', '--claim', 'theorem-5', '--seeds', '2', '--shard', `${i + 1}/2`, '--out', dir).code,
      ).toBe(0);
    expect(runCli('stability', '--claim', 'theorem-5', '--seeds', '2', '--out', whole).code).toBe(0);
    const merged = join(tmp(), 'merged.json');
    const m = runCli('merge', merged, join(a, 'stability.json'), join(b, 'stability.json'));
    expect(m.code, m.stderr).toBe(0);
    expect(timeless(merged)).toEqual(timeless(join(whole, 'stability.json')));
  }, 120_000);

  it('rejects malformed seeds with one line and exit 2', () => {
    expectUsageError(['stability', '--seeds', '5-2'], /--seeds A-B needs A ≤ B/);
    expectUsageError(['stability', '--seeds', 'many'], /--seeds must be a count N or a range A-B/);
    expectUsageError(['stability', '--seeds', '0'], /--seeds N needs N ≥ 1/);
  });
});
