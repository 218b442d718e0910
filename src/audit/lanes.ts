/**
 * Two lanes of units: the trainings and other units that use every core run in this thread, one
 * after another, while the units marked `sideLane` (mostly one core, no cache shared with the main
 * lane) run in one worker thread beside them, also in run order. Which lane runs a unit depends only
 * on its definition, and each lane keeps the run order, so every unit meets the same cached results
 * as in a single lane and computes the same numbers (test/audit/lanes.test.ts). Results come back in
 * run order; callbacks get each unit's index in the list given.
 */
import { Worker } from 'node:worker_threads';
import { outsideLedger } from '../core/draw-ledger.js';
import { compiledModule, defaultWorkers } from '../core/parallel.js';
import { settingsForWorkers } from '../core/thread-settings.js';
import type { Budget } from '../core/vocabulary.js';
import type { UnitResult } from './records.js';
import type { Registry } from './registry.js';
import { runUnits, type RunOptions, type RunOutcome } from './runner.js';
import type { Unit } from './units.js';

/** Where the side lane's worker finds the units: the module exporting the registry as REGISTRY. */
export interface SideLane {
  registryUrl: string;
}

/** The side lane of a registry that says where its module is; null (one lane) otherwise. */
export function sideLaneOf(registry: Registry): SideLane | null {
  return registry.moduleUrl === undefined ? null : { registryUrl: registry.moduleUrl };
}

/** What the side lane's worker receives. */
export interface LaneStart {
  registryUrl: string;
  budget: Budget;
  replay: [string, string][];
  settings: Record<string, unknown>;
  /** The cores this process may use, for the lane's own worker threads. */
  workers: number;
  units: { id: string; runSeed: number }[];
}

/** What the side lane's worker reports, unit by unit, then once at the end. */
export type LaneMessage =
  | { type: 'start'; index: number }
  | { type: 'done'; index: number; result: UnitResult; threw: boolean }
  | { type: 'end'; complete: boolean }
  | { type: 'error'; message: string };

/** Whether `unit` may run on the side lane. */
export function runsOnSideLane(unit: Unit): boolean {
  return unit.kind === 'figure' ? unit.figure.sideLane === true : unit.check.sideLane === true;
}

/**
 * Runs `units` as runUnits does, with the side-lane units in a worker thread when `side` is given,
 * at least two cores are available and there is such a unit; otherwise in this thread alone.
 */
export async function runUnitsOnLanes(
  units: readonly Unit[],
  options: RunOptions,
  side: SideLane | null,
): Promise<RunOutcome> {
  const sideIndex: number[] = [];
  const mainIndex: number[] = [];
  units.forEach((u, i) => (runsOnSideLane(u) ? sideIndex : mainIndex).push(i));
  if (side === null || defaultWorkers() < 2 || sideIndex.length === 0 || mainIndex.length === 0)
    return runUnits(units, options);
  const results = new Map<number, UnitResult>();
  const crashed = new Set<string>();
  const total = units.length;
  // Either lane's finished unit, by its index in `units`.
  const finished = (index: number, result: UnitResult, threw: boolean) => {
    results.set(index, result);
    if (threw) crashed.add(units[index].id);
    options.onUnitDone?.(result, index, total, threw);
  };
  const lane = runSideLane(units, sideIndex, side, options, finished);
  const main = runUnits(
    mainIndex.map((i) => units[i]),
    {
      ...options,
      onUnitStart: (_u, k) => options.onUnitStart?.(units[mainIndex[k]], mainIndex[k], total),
      onUnitDone: (result, k, _t, threw) => finished(mainIndex[k], result, threw),
    },
  );
  const [mainRun, sideRun] = await Promise.allSettled([main, lane]);
  if (mainRun.status === 'rejected') throw mainRun.reason;
  if (sideRun.status === 'rejected') throw sideRun.reason;
  const ordered = [...results].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
  return {
    results: ordered,
    complete: mainRun.value.complete && sideRun.value,
    crashed: units.filter((u) => crashed.has(u.id)).map((u) => u.id),
  };
}

/** Runs units[i] for i in `indices` on the side lane's worker; resolves with whether all of them ran. */
function runSideLane(
  units: readonly Unit[],
  indices: readonly number[],
  side: SideLane,
  options: RunOptions,
  onDone: (index: number, result: UnitResult, threw: boolean) => void,
): Promise<boolean> {
  const start: LaneStart = {
    registryUrl: side.registryUrl,
    budget: options.budget,
    replay: [...(options.replay ?? new Map<string, string>())],
    settings: settingsForWorkers(),
    workers: defaultWorkers(),
    units: indices.map((i) => ({ id: units[i].id, runSeed: units[i].runSeed })),
  };
  const worker = new Worker(compiledModule(import.meta.url, 'lane-worker'), { workerData: start });
  const stop = () => worker.postMessage({ type: 'stop' });
  if (options.signal?.aborted) stop();
  else options.signal?.addEventListener('abort', stop, { once: true });
  return new Promise<boolean>((resolve, reject) => {
    const finish = (outcome: () => void) => {
      options.signal?.removeEventListener('abort', stop);
      void worker.terminate();
      outcome();
    };
    // Messages arrive while a main-lane unit awaits, its ledger current: what they do is no unit's.
    worker.on('message', (m: LaneMessage) =>
      outsideLedger(() => {
        if (m.type === 'start') options.onUnitStart?.(units[indices[m.index]], indices[m.index], units.length);
        else if (m.type === 'done') onDone(indices[m.index], m.result, m.threw);
        else if (m.type === 'end') finish(() => resolve(m.complete));
        else finish(() => reject(new Error(`the side lane failed: ${m.message}`)));
      }),
    );
    worker.on('error', (e) => finish(() => reject(new Error(`the side lane failed: ${e.message}`))));
  });
}
