import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateReport, type Report } from '../../src/report/schema.js';
import { expectUsageError, runCli } from './run-cli.js';

const BIN = fileURLToPath(new URL('../../bin/rankcheck.js', import.meta.url));
const tmp = () => mkdtempSync(join(tmpdir(), 'rankcheck-verify-'));
const readReport = (dir: string) => validateReport(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')));

/** A report without what may differ between identical runs: timestamps, durations and the shard. */
function timeless(r: Report): unknown {
  return JSON.parse(
    JSON.stringify(r, (k, v: unknown) => (k === 'startedAt' || k === 'durationMs' ? 0 : k === 'shard' ? null : v)),
  );
}

// One real claim, with exact and statistical checks, sentinels and a figure, keeps these
// end-to-end runs short (a few seconds each).
const CLAIM = ['--claim', 'theorem-5'];
let whole: { dir: string; report: Report };

beforeAll(() => {
  const dir = tmp();
  const r = runCli('verify', ...CLAIM, '--out', dir, '--json');
  expect(r.code, r.stderr).toBe(0);
  whole = { dir, report: readReport(dir) };
  expect(JSON.parse(r.stdout)).toEqual(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')));
}, 120_000);

describe('rankcheck verify', () => {
  it('writes the three reports and exits 0 when the claim holds and every sentinel is caught', () => {
    for (const f of ['report.json', 'report.md', 'report.html']) expect(existsSync(join(whole.dir, f))).toBe(true);
    const claim = whole.report.claims.find((c) => c.id === 'theorem-5');
    expect(claim?.verdict).toBe('holds');
    expect(whole.report.sensitivity.every((s) => s.caught)).toBe(true);
    expect(whole.report.partial).toBe(false);
  });

  it('keeps what finished when interrupted by Ctrl-C (exit 130), and --resume completes the same report', async () => {
    const dir = tmp();
    const child = spawn(process.execPath, [BIN, 'verify', ...CLAIM, '--out', dir], { stdio: 'ignore' });
    // Interrupt as soon as the first unit has been saved.
    while (!existsSync(join(dir, 'report.json'))) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(130);
    const partial = readReport(dir);
    expect(partial.partial).toBe(true);
    expect(partial.completedUnits.length).toBeGreaterThan(0);
    const resumed = runCli('verify', '--resume', dir);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(timeless(readReport(dir))).toEqual(timeless(whole.report));
  }, 120_000);

  it('splits into shards that merge into exactly the unsharded report', () => {
    const dirs = [1, 2].map((i) => {
      const dir = tmp();
      const r = runCli('verify', ...CLAIM, '--shard', `${i}/2`, '--out', dir);
      expect(r.code, r.stderr).not.toBe(2);
      expect(readReport(dir).partial).toBe(true);
      return dir;
    });
    const out = join(tmp(), 'merged.json');
    const m = runCli('merge', out, ...dirs.map((d) => join(d, 'report.json')));
    expect(m.code, m.stderr).toBe(0);
    const merged = validateReport(JSON.parse(readFileSync(out, 'utf8')));
    expect(timeless(merged)).toEqual(timeless(whole.report));
    expect(existsSync(out.replace(/\.json$/, '.html'))).toBe(true);
  }, 120_000);

  for (const [args, name] of [
    [['--claim', 'nope'], /--claim/],
    [['--budget', 'huge'], /--budget/],
    [['--shard', '3/2'], /--shard/],
    [['--shard', 'x'], /--shard/],
    [['--resume', '/nonexistent-dir'], /--resume/],
  ] as const) {
    it(`rejects ${args.join(' ')}`, () => expectUsageError(['verify', ...args], name));
  }
});

describe('rankcheck list', () => {
  it('lists every claim of the registry, with what each budget runs', () => {
    const out = JSON.parse(runCli('list', '--json').stdout);
    expect(out.claims.map((c: { id: string }) => c.id)).toEqual([
      'fact-1',
      'theorem-2',
      'random-features',
      'theorem-3',
      'theorem-5',
      'conjecture-6',
      'figure-1',
      'figure-n',
      'positional',
      'dimensions',
      'icl',
      'learned-weights',
    ]);
    const t2 = out.claims.find((c: { id: string }) => c.id === 'theorem-2');
    expect(t2.checks.length).toBeGreaterThan(0);
    expect(t2.units.quick).toBeGreaterThan(t2.checks.length);
    // Reach: the paper's setting beside each budget's, and where our number for a paper number lives.
    const f1 = out.claims.find((c: { id: string }) => c.id === 'figure-1');
    expect(f1.reach.rows.find((r: { quantity: string }) => r.quantity === 'd').tested).toEqual({
      quick: '8',
      standard: '8',
      paper: '64',
    });
    expect(f1.reach.numbers[0].ours.paper).toEqual({ metric: 'L1_c1_rank64_mse', setting: 'same setting' });
  });
});

describe('rankcheck compare', () => {
  it('exits 0 for a report against itself and 1 for a regression', () => {
    const base = join(whole.dir, 'report.json');
    expect(runCli('compare', base, base).code).toBe(0);
    const worse = JSON.parse(readFileSync(base, 'utf8'));
    worse.claims[0].verdict = 'violated';
    const path = join(tmp(), 'worse.json');
    writeFileSync(path, JSON.stringify(worse));
    const r = runCli('compare', base, path, '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).regressions[0]).toMatch(/verdict holds → violated/);
  });

  it('rejects a file that is not a report, with exit 2', () => {
    const path = join(tmp(), 'bad.json');
    writeFileSync(path, JSON.stringify({ schemaVersion: 1 }));
    expectUsageError(['compare', path, path], /BASE/);
  });
});
