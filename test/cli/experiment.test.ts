import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SEEDS } from '../../properties/support/experiment-budgets.js';
import { expectUsageError, runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'rankcheck-experiment-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rankcheck experiment', () => {
  it('trains the grid, prints one JSON object with every setting and the verdict, and checkpoints each setting; --resume trains nothing and prints the same', () => {
    const out = join(dir, 'lw');
    const r = runCli('experiment', 'learned-weights', '--budget', 'quick', '--out', out, '--json');
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ claim: 'learned-weights', budget: 'quick', complete: true, verdict: 'holds' });
    expect(['node', 'wasm', 'cpu']).toContain(json.backend);
    expect(['tfjs', 'fused']).toContain(json.trainer);
    expect(json.results.map((s: { heads: number; rank: number }) => [s.heads, s.rank])).toEqual([
      [1, 8],
      [2, 4],
    ]);
    for (const s of json.results) {
      // quick's training seeds are 1…SEEDS.quick of root 0; ci is the interval of the mean over them, hull spans every seed's.
      expect(s).toMatchObject({ layers: 1, copies: 1, n: 8, d: 8, seeds: SEEDS.quick });
      expect(s.bestSeed).toBeGreaterThanOrEqual(1);
      expect(s.bestSeed).toBeLessThanOrEqual(SEEDS.quick);
      expect(s.mse.ci[0]).toBeLessThanOrEqual(s.mse.mean);
      expect(s.mse.ci[1]).toBeGreaterThanOrEqual(s.mse.mean);
      expect(s.mse.hull[0]).toBeLessThanOrEqual(s.mse.min);
      expect(s.mse.hull[1]).toBeGreaterThanOrEqual(s.mse.max);
    }
    expect(readdirSync(out).filter((f) => f.endsWith('.json'))).toHaveLength(2);
    expect(r.stderr).toMatch(/\[2\/2\]/);

    const again = runCli('experiment', 'learned-weights', '--budget', 'quick', '--out', out, '--resume', '--json');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/2 from checkpoints/);
    expect(JSON.parse(again.stdout)).toEqual(json);

    // The other trainer's numbers are not these: its --resume finds no checkpoint of its own and trains.
    const other = json.trainer === 'fused' ? 'tfjs' : 'fused';
    const mixed = runCli(
      'experiment',
      'learned-weights',
      '--budget',
      'quick',
      '--out',
      out,
      '--resume',
      '--trainer',
      other,
      '--json',
    );
    expect(mixed.code, mixed.stderr).toBe(0);
    expect(mixed.stderr).not.toMatch(/from checkpoints/);
    expect(JSON.parse(mixed.stdout).trainer).toBe(other);
  }, 180_000);

  it('a shard trains every n-th setting and leaves the verdict undecided', () => {
    const r = runCli('experiment', 'learned-weights', '--shard', '2/2', '--out', join(dir, 'shard'), '--json');
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ shard: '2/2', verdict: null });
    expect(json.results).toHaveLength(1);
    expect(json.results[0].heads).toBe(2);
  }, 120_000);

  for (const [args, name] of [
    [['nearest-neighbour'], /NAME/],
    [['figure-1', '--budget', 'huge'], /--budget/],
    [['figure-1', '--shard', '3/2'], /--shard/],
    [['figure-1', '--shard', 'x'], /--shard/],
    [['figure-1', '--seed', '-1'], /--seed/],
    [['figure-1', '--trainer', 'torch'], /--trainer/],
    // The paper-size comparison has a standard grid only.
    [['figure-1-d64', '--budget', 'quick'], /--budget: the figure-1-d64 experiment has no quick grid/],
  ] as const) {
    it(`rejects ${args.join(' ')}`, () => expectUsageError(['experiment', ...args], name));
  }
});
