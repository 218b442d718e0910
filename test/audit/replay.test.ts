import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runUnits } from '../../src/audit/runner.js';
import { unitsFor } from '../../src/audit/units.js';
import { replayFromEnvironment, replayLine } from '../../properties/support/claim-spec.js';
import { PLANTED } from './planted-failure.js';

const ROOT = fileURLToPath(new URL('../../dist/test/audit/planted-root.js', import.meta.url));

async function runPlanted(replay?: Map<string, string>) {
  const { results } = await runUnits(unitsFor([PLANTED], 'quick', 0), { budget: 'quick', replay });
  const r = results[0];
  if (r.kind !== 'check') throw new Error('expected a check');
  return r.check;
}

describe('replay', () => {
  it('a planted failure records its shrink path, and replaying the path reproduces the same counterexample in one case', async () => {
    const first = await runPlanted();
    expect(first.verdict).toBe('violated');
    expect(first.replay.path).toMatch(/^\d+(:\d+)*$/);
    expect(first.witnesses[0]).toEqual([950, 0]);
    expect(first.metrics.failedAfter).toBeGreaterThan(1);
    const again = await runPlanted(new Map([['planted/check/below-950', first.replay.path!]]));
    expect(again.verdict).toBe('violated');
    expect(again.witnesses).toEqual(first.witnesses);
    // Replay runs the recorded case, not a fresh search.
    expect(again.metrics.failedAfter).toBe(1);
  });

  it('a path given for another unit is not applied here', async () => {
    const first = await runPlanted();
    const other = await runPlanted(new Map([['some-claim/check/below-950', first.replay.path!]]));
    expect(other.metrics.failedAfter).toBe(first.metrics.failedAfter);
  });

  it('the line `verify` prints for a failure, run as printed, reproduces the counterexample', () => {
    const out = mkdtempSync(join(tmpdir(), 'rankcheck-replay-'));
    const run = (args: string[]) => spawnSync(process.execPath, [ROOT, ...args], { encoding: 'utf8' });
    const first = run(['verify', '--out', out]);
    expect(first.status).toBe(1);
    const line = first.stdout.split('\n').find((l) => l.includes('replay planted/below-950:'));
    expect(line).toBeDefined();
    const command = line!.slice(line!.indexOf('rankcheck verify ') + 'rankcheck '.length).split(' ');
    const again = run([...command, '--out', join(out, 'again')]);
    expect(again.status).toBe(1);
    const witness = (dir: string) =>
      JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')).claims[0].checks[0].witnesses;
    expect(witness(join(out, 'again'))).toEqual(witness(out));
  });

  it('rejects a replay for a unit the run does not have, as bad input', () => {
    const r = spawnSync(
      process.execPath,
      [ROOT, 'verify', '--replay', 'nothing/check/x=1:2', '--out', mkdtempSync(join(tmpdir(), 'rankcheck-replay-'))],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/^rankcheck: --replay: nothing\/check\/x is not a unit of this run/);
  });

  it('the vitest harness reads RANKCHECK_REPLAY at its edge and prints the line that sets it', () => {
    expect([...replayFromEnvironment('a/check/b=1:2 c/check/d=3')]).toEqual([
      ['a/check/b', '1:2'],
      ['c/check/d', '3'],
    ]);
    expect(() => replayFromEnvironment('no-equals-sign')).toThrow(/UNIT=PATH/);
    expect(
      replayLine(0, 'fact-1/check/hardmax-exact', '3:1', '/x/properties/fact-1/fact-1.property.ts', 'hardmax-exact'),
    ).toBe(
      'RANKCHECK_SEED=0 RANKCHECK_REPLAY=fact-1/check/hardmax-exact=3:1 npx vitest run properties/fact-1/fact-1.property.ts -t "hardmax-exact"',
    );
  });
});
