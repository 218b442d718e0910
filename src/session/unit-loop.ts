/**
 * The one loop every run goes through (verify and stability are two configurations of it): the
 * units of the whole run, those of this shard, less those a resumed document already holds, run
 * in order; after every unit the document is reassembled from all records and written atomically,
 * so an interruption loses at most the unit in progress; at the end the final files are written.
 * Run-scoped caches are emptied whenever the root seed changes (by the runner, in each lane's
 * thread) and when the loop ends.
 */
import type { UnitResult } from '../audit/records.js';
import { runUnitsOnLanes, type SideLane } from '../audit/lanes.js';
import type { Unit } from '../audit/units.js';
import { writeFileAtomic } from '../core/atomic-write.js';
import { endRunScope } from '../core/run-cache.js';
import type { Budget } from '../core/vocabulary.js';

/** What a configuration of the loop supplies: how its units run and how its records become a document. */
export interface LoopPlan<U extends { id: string }, R extends { id: string }, D> {
  /** What the document is called in messages ("report", "stability file"). */
  document: string;
  budget: Budget;
  /** This shard's units of the run, in run order. */
  mine: readonly U[];
  /** Records of the run a resumed document holds already. */
  prior: readonly R[];
  /** The audit unit that runs `u`. */
  auditUnit(u: U): Unit;
  /** The record kept of `u`'s result. */
  record(u: U, result: UnitResult): R;
  /** The document of these records, `elapsedMs` into the run (pure). */
  assemble(records: readonly R[], elapsedMs: number): D;
  /** Units of the whole run, and how many of them a document holds (for messages). */
  expected: number;
  held(doc: D): number;
  /** The checkpoint rewritten after every unit, and the final files. */
  checkpointPath: string;
  writeFinal(doc: D): Promise<void>;
  replay?: ReadonlyMap<string, string>;
  /** Where the side-lane units may run beside the others (lanes.ts); null or absent: all in this thread. */
  sideLane?: SideLane | null;
  signal?: AbortSignal;
  onUnitStart?: (unit: U, index: number, total: number) => void;
  onUnitDone?: (record: R, index: number, total: number) => void;
}

export interface LoopResult<D> {
  document: D;
  /** Ids of the units whose code threw (a failure of the suite). */
  crashed: string[];
  interrupted: boolean;
}

/** The document could not be assembled: an internal error (exit 3), with the last good document kept. */
export class AssemblyError extends Error {
  override readonly name = 'AssemblyError';
}

/** Runs the plan; see the module comment. */
export async function runLoop<U extends { id: string }, R extends { id: string }, D>(
  plan: LoopPlan<U, R, D>,
): Promise<LoopResult<D>> {
  const t0 = performance.now();
  const done = new Set(plan.prior.map((r) => r.id));
  const toRun = plan.mine.filter((u) => !done.has(u.id));
  const records: R[] = [...plan.prior];
  // A document that fails to assemble is a bug of the suite, not of a claim: the units keep
  // running, the last document that did assemble stays on disk (its finished units are never
  // lost), and the run ends with an internal error naming the failure.
  const state: { lastGood: D | null; failure: unknown } = { lastGood: null, failure: null };
  // Lanes finish units out of run order; documents see them in run order (records held before first).
  const order = new Map(plan.mine.map((u, i) => [u.id, i]));
  const inRunOrder = () => [...records].sort((a, b) => (order.get(a.id) ?? -1) - (order.get(b.id) ?? -1));
  const tryAssemble = (): D | null => {
    try {
      state.lastGood = plan.assemble(inRunOrder(), performance.now() - t0);
    } catch (e) {
      state.failure ??= e;
      return null;
    }
    return state.lastGood;
  };
  const crashed: string[] = [];
  try {
    const run = await runUnitsOnLanes(
      toRun.map((u) => plan.auditUnit(u)),
      {
        budget: plan.budget,
        replay: plan.replay,
        signal: plan.signal,
        onUnitStart: (_unit, index, total) => plan.onUnitStart?.(toRun[index], index, total),
        onUnitDone: (result, index, total, threw) => {
          if (threw) crashed.push(toRun[index].id);
          const record = plan.record(toRun[index], result);
          records.push(record);
          const doc = tryAssemble();
          if (doc !== null) writeFileAtomic(plan.checkpointPath, `${JSON.stringify(doc, null, 1)}\n`);
          plan.onUnitDone?.(record, index, total);
        },
      },
      plan.sideLane ?? null,
    );
    const document = tryAssemble();
    if (document === null || state.failure !== null) {
      const kept = state.lastGood;
      if (kept !== null) await plan.writeFinal(kept);
      const message = state.failure instanceof Error ? state.failure.message : String(state.failure);
      throw new AssemblyError(
        `assembling the ${plan.document} failed (${message}); ${kept !== null ? `the last ${plan.document} that assembled (${plan.held(kept)} of ${plan.expected} units) is in ${plan.checkpointPath}` : `no ${plan.document} could be assembled`}`,
      );
    }
    await plan.writeFinal(document);
    return { document, crashed, interrupted: !run.complete };
  } finally {
    endRunScope();
  }
}
