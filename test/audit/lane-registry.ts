/**
 * A registry for the tests of the side lane (lanes.test.ts), loaded by the lane's worker from
 * dist/: a claim with checks that draw, that share a run-scoped cache on the side lane, that wait
 * on the main lane while the side lane reports, and that say which thread ran them; its key result
 * is cached by the report whenever one of them finishes.
 */
import { isMainThread } from 'node:worker_threads';
import type { Registry } from '../../src/audit/registry.js';
import { text } from '../../src/core/format.js';
import { Rng } from '../../src/core/rng.js';
import { runScopedCache } from '../../src/core/run-cache.js';
import { defineCheck, onSideLane, type CheckContext, type CheckDef, type Claim } from '../../src/core/vocabulary.js';

const shared = runScopedCache<number, number>();

// Armed by a test: main-lane checks that name a side-lane unit wait until its result has been
// delivered, so that the side lane's results land while a main-lane unit is in progress.
let gates: Map<string, { promise: Promise<void>; open: () => void }> | null = null;

/** Arms the gates (disarms them when `on` is false); returns what opens them (call it with each finished unit's id). */
export function armGates(on: boolean): (unitId: string) => void {
  if (!on) {
    gates = null;
    return () => {};
  }
  const armed = new Map<string, { promise: Promise<void>; open: () => void }>();
  for (const id of ['lanes/check/side-sets', 'lanes/check/side-reads']) {
    let open = () => {};
    const promise = new Promise<void>((r) => (open = r));
    armed.set(id, { promise, open });
  }
  gates = armed;
  return (unitId) => armed.get(unitId)?.open();
}

/** A check that draws from its seed (and from the shared cache when `reads`), then waits for `after` to be reported. */
function drawing(name: string, o: { reads?: boolean; after?: string } = {}): CheckDef {
  return defineCheck({
    name,
    kind: 'statistical',
    description: 'draws from its seed',
    sizes: { quick: 'a few draws' },
    sentinels: { broken: 'always caught' },
    run: async (ctx: CheckContext, sentinel) => {
      const draws = Rng.fromSeed(ctx.seed).split(0);
      let value = draws.normal() + draws.normal();
      if (o.reads) {
        if (!shared.has(ctx.runSeed)) shared.set(ctx.runSeed, Rng.fromSeed(ctx.claimSeed).normal());
        value += shared.get(ctx.runSeed)!;
      }
      // At most 20 s, so that a side lane that fails shows its error instead of a hang.
      if (o.after !== undefined && gates !== null)
        await Promise.race([gates.get(o.after)!.promise, new Promise((r) => setTimeout(r, 20_000).unref())]);
      return {
        verdict: sentinel ? 'violated' : 'holds',
        summary: text`drew`,
        metrics: { value, mainThread: isMainThread ? 1 : 0 },
      };
    },
  });
}

export const LANE_CLAIM: Claim = {
  id: 'lanes',
  title: 'A claim with units on both lanes',
  paperRef: 'test',
  statement: 'the lane changes no number',
  reconstructed: false,
  sources: { proofNote: 'proofs-notes/fact-1.md', code: [], checks: 'test/audit/lane-registry.ts' },
  checks: [
    drawing('main-first', { after: 'lanes/check/side-sets' }),
    onSideLane(drawing('side-sets', { reads: true })),
    drawing('main-second', { after: 'lanes/check/side-reads' }),
    onSideLane(drawing('side-reads', { reads: true })),
  ],
  figures: [],
  // Computed and cached by the report whenever a unit finishes, on either lane: no unit's work.
  keyResult: (checks) => {
    const value = checks.find((c) => c.name === 'side-sets')?.metrics.value;
    return value === undefined || value === null ? null : { label: 'side-sets', value, text: text`drawn` };
  },
};

export const REGISTRY: Registry = { claims: [LANE_CLAIM], experiments: [], moduleUrl: import.meta.url };
