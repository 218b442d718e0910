/**
 * Runs a claim's checks and sentinels as vitest specifications at the quick budget: every check
 * must hold, every sentinel must be rejected. Seeds are derived exactly as `rankcheck verify`
 * derives them (root seed RANKCHECK_SEED, default 0), so a failure here replays there and back;
 * RANKCHECK_REPLAY=UNIT=PATH (the line a failure prints) replays one shrunk counterexample. This
 * file is an edge: the only place the property harness reads the environment. Each run is
 * recorded in reports/properties/<claim>.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unitContext } from '../../src/audit/runner.js';
import { unitsFor, type Unit } from '../../src/audit/units.js';
import { writeFileAtomic } from '../../src/core/atomic-write.js';
import { render } from '../../src/core/format.js';
import type { Claim } from '../../src/core/vocabulary.js';

interface RunRecord {
  unit: string;
  seed: number;
  verdict: string;
  summary: string;
  path: string | null;
}

function rootSeed(): number {
  const env = process.env.RANKCHECK_SEED;
  if (env === undefined || env === '') return 0;
  const v = Number(env);
  if (!Number.isSafeInteger(v) || v < 0)
    throw new Error(`RANKCHECK_SEED must be a non-negative integer (got "${env}")`);
  return v;
}

/** RANKCHECK_REPLAY as a map from unit id to shrink path ("UNIT=PATH", several separated by spaces). */
export function replayFromEnvironment(value = process.env.RANKCHECK_REPLAY): Map<string, string> {
  const out = new Map<string, string>();
  for (const item of (value ?? '').split(/\s+/).filter(Boolean)) {
    const at = item.lastIndexOf('=');
    if (at <= 0) throw new Error(`RANKCHECK_REPLAY must look like UNIT=PATH (got "${item}")`);
    out.set(item.slice(0, at), item.slice(at + 1));
  }
  return out;
}

/** The command that replays a failed check's counterexample under vitest. */
export function replayLine(root: number, unit: string, path: string | null, file: string, testName: string): string {
  const replay = path ? ` RANKCHECK_REPLAY=${unit}=${path}` : '';
  return `RANKCHECK_SEED=${root}${replay} npx vitest run ${file.replace(/^.*\/properties\//, 'properties/')} -t ${JSON.stringify(testName)}`;
}

function record(claim: string, rec: RunRecord): void {
  const out = join(process.cwd(), 'reports', 'properties', `${claim}.json`);
  let all: RunRecord[] = [];
  if (existsSync(out)) {
    try {
      all = JSON.parse(readFileSync(out, 'utf8')) as RunRecord[];
    } catch {
      all = [];
    }
  }
  all = all.filter((r) => r.unit !== rec.unit);
  all.push(rec);
  all.sort((a, b) => a.unit.localeCompare(b.unit));
  writeFileAtomic(out, `${JSON.stringify(all, null, 1)}\n`);
}

/** Declares the vitest specification of a claim at the quick budget. */
export function specifyClaim(claim: Claim, file: string): void {
  const root = rootSeed();
  const replay = replayFromEnvironment();
  const run = async (unit: Extract<Unit, { kind: 'check' | 'sentinel' }>) => {
    const o = await unit.check.run(
      unitContext(unit, 'quick', replay),
      unit.kind === 'sentinel' ? unit.sentinel.name : null,
    );
    record(claim.id, {
      unit: unit.id,
      seed: unit.seed,
      verdict: o.verdict,
      summary: render(o.summary),
      path: o.path ?? null,
    });
    return o;
  };
  describe(`${claim.id}: ${claim.title}`, () => {
    for (const unit of unitsFor([claim], 'quick', root)) {
      if (unit.kind === 'check') {
        const name = `${unit.check.name} — ${unit.check.description}`;
        it(name, async () => {
          const o = await run(unit);
          expect(
            o.verdict,
            `${render(o.summary)}\nReplay: ${replayLine(root, unit.id, o.path ?? null, file, unit.check.name)}`,
          ).toBe('holds');
        });
      } else if (unit.kind === 'sentinel') {
        it(`sentinel ${unit.sentinel.name} is rejected by ${unit.check.name} — ${unit.sentinel.description}`, async () => {
          const o = await run(unit);
          expect(o.verdict, `the check is blind to this sentinel: ${render(o.summary)}`).toBe('violated');
        });
      }
    }
  });
}
