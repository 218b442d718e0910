/**
 * Runs a claim's checks and sentinels as vitest specifications at the quick budget: every check
 * must hold, every sentinel must be rejected. Seeds are derived exactly as `rankcheck verify`
 * derives them (root seed RANKCHECK_SEED, default 0), so a failure here replays there and back;
 * each run is recorded in reports/properties/<claim>.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Claim } from '../../src/claims/types.js';
import { checkUnitId, deriveSeed } from '../../src/claims/units.js';
import { writeFileAtomic } from '../../src/report/atomic-write.js';

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
  if (!Number.isSafeInteger(v) || v < 0) throw new Error(`RANKCHECK_SEED must be a non-negative integer (got "${env}")`);
  return v;
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
  const claimSeed = deriveSeed(root, claim.id);
  describe(`${claim.id}: ${claim.title}`, () => {
    for (const check of claim.checks) {
      if (check.sizes.quick === undefined) continue;
      const seed = deriveSeed(root, checkUnitId(claim.id, check.name));
      it(`${check.name} — ${check.description}`, async () => {
        const o = await check.run({ budget: 'quick', seed, claimSeed, runSeed: root }, null);
        record(claim.id, { unit: checkUnitId(claim.id, check.name), seed, verdict: o.verdict, summary: o.summary, path: o.path ?? null });
        const replay = `RANKCHECK_SEED=${root} RANKCHECK_CHECK=${check.name}${o.path ? ` RANKCHECK_PATH=${o.path}` : ''} npx vitest run ${file.replace(/^.*\/properties\//, 'properties/')} -t ${JSON.stringify(check.name)}`;
        expect(o.verdict, `${o.summary}\nReplay: ${replay}`).toBe('holds');
      });
    }
    for (const sentinel of claim.sentinels) {
      const check = claim.checks.find((c) => c.name === sentinel.check);
      if (!check || check.sizes.quick === undefined) continue;
      const seed = deriveSeed(root, checkUnitId(claim.id, check.name));
      it(`sentinel ${sentinel.name} is rejected by ${check.name} — ${sentinel.description}`, async () => {
        const o = await check.run({ budget: 'quick', seed, claimSeed, runSeed: root }, sentinel.name);
        record(claim.id, { unit: `${claim.id}/sentinel/${sentinel.name}@${check.name}`, seed, verdict: o.verdict, summary: o.summary, path: o.path ?? null });
        expect(o.verdict, `the check is blind to this sentinel: ${o.summary}`).toBe('violated');
      });
    }
  });
}
