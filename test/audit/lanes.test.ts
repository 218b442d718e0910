import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runsOnSideLane, sideLaneOf } from '../../src/audit/lanes.js';
import { unitsFor } from '../../src/audit/units.js';
import { currentLedger } from '../../src/core/draw-ledger.js';
import { runStability } from '../../src/session/stability-run.js';
import { runVerify } from '../../src/session/verify-run.js';
import { REGISTRY as CLAIMS } from '../../properties/registry.js';
import { armGates, REGISTRY } from './lane-registry.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'rankcheck-lanes-'));
// The lane's worker loads the compiled registry (npm test builds first).
const side = { registryUrl: new URL('../../dist/test/audit/lane-registry.js', import.meta.url).href };

/** A document without what may differ between runs of the same numbers: times and which thread ran. */
function numbersOf(doc: unknown): unknown {
  return JSON.parse(
    JSON.stringify(doc, (k, v) => (['durationMs', 'startedAt', 'ranOn', 'mainThread'].includes(k) ? undefined : v)),
  );
}

/** What every verify run of these tests shares: the lanes' claim at quick, seed 3, a fresh directory. */
const verifyRun = (sideLane: typeof side | null) => ({
  claims: REGISTRY.claims,
  budget: 'quick' as const,
  seed: 3,
  outDir: tmp(),
  shard: null,
  resume: null,
  sideLane,
});

/** A verify run whose main-lane units wait for the side lane's; notes the draw ledger current in each report of a unit. */
async function verify(sideLane: typeof side | null) {
  const open = armGates(sideLane !== null);
  const ledgers: (string | null)[] = [];
  const result = await runVerify({
    ...verifyRun(sideLane),
    onUnitDone: (r) => {
      ledgers.push(currentLedger()?.unit ?? null);
      open(r.id);
    },
  });
  return { ...result, ledgers };
}

describe('the side lane', () => {
  it('runs the side-lane units in a worker thread and changes no number, draw fingerprint or reuse note', async () => {
    const [one, two] = [await verify(null), await verify(side)];
    const thread = (r: typeof one) => r.document.claims[0].checks.map((c) => c.metrics.mainThread);
    expect(thread(one)).toEqual([1, 1, 1, 1]);
    expect(thread(two)).toEqual([1, 0, 1, 0]);
    expect(numbersOf(two.document)).toEqual(numbersOf(one.document));
    // side-reads reuses what side-sets cached, on either lane; nothing else reuses anything.
    expect(two.document.claims[0].checks.map((c) => c.reused ?? [])).toEqual([[], [], [], ['lanes/check/side-sets']]);
  });

  it('reports side-lane results outside the ledger of the main-lane unit in progress', async () => {
    // side-sets lands while main-first waits for it: what the report computes then (the key result,
    // cached) is no unit's draw, else later readers of the cache would name main-first as reused.
    const { ledgers } = await verify(side);
    expect(ledgers).toEqual(ledgers.map(() => null));
  });

  it('keeps each lane to one root seed at a time in a many-seed run, with the same records', async () => {
    const run = (sideLane: typeof side | null) =>
      runStability({
        claims: REGISTRY.claims,
        budget: 'quick',
        seeds: [0, 1, 2],
        outDir: tmp(),
        shard: null,
        resume: null,
        sideLane,
      });
    const [one, two] = [await run(null), await run(side)];
    expect(two.document.records.map((r) => r.id)).toEqual(one.document.records.map((r) => r.id));
    expect(numbersOf(two.document.records)).toEqual(numbersOf(one.document.records));
  });

  it('stops both lanes when the run is interrupted, keeping only whole units', async () => {
    armGates(false);
    const controller = new AbortController();
    const result = await runVerify({
      ...verifyRun(side),
      signal: controller.signal,
      onUnitDone: () => controller.abort(),
    });
    expect(result.interrupted).toBe(true);
    // Of the 8 units (4 checks, 4 sentinels), each lane finishes only the unit in progress at the abort.
    expect(result.document.completedUnits.length).toBeGreaterThan(0);
    expect(result.document.completedUnits.length).toBeLessThan(8);
  });

  it('is used by the CLI for the registry of claims, whose side-lane units are the exact checks', () => {
    expect(sideLaneOf(CLAIMS)?.registryUrl).toMatch(/properties\/registry\.(ts|js)$/);
    const onSide = unitsFor(CLAIMS.claims, 'quick', 0).filter(runsOnSideLane);
    expect(new Set(onSide.map((u) => u.claim.id))).toEqual(
      new Set(['fact-1', 'theorem-2', 'random-features', 'theorem-3', 'theorem-5']),
    );
    // The searches, the trainings and the computations already spread over the cores stay on the main lane.
    const ids = new Set(onSide.map((u) => u.id));
    for (const main of [
      'theorem-2/check/trained-models-respect-bound',
      'theorem-2/check/full-rank-control-separates',
      'theorem-2/check/high-dimensional-law',
      'random-features/check/published-recipe-audit',
    ])
      expect(ids.has(main)).toBe(false);
  });
});
