/**
 * The side lane's worker thread (lanes.ts): loads the registry, rebuilds the units it was given
 * by id and root seed, runs them in order with runUnits and reports each result.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { setDefaultWorkers } from '../core/parallel.js';
import { inheritSettings } from '../core/thread-settings.js';
import type { LaneMessage, LaneStart } from './lanes.js';
import type { Registry } from './registry.js';
import { runUnits } from './runner.js';
import { unitsFor, type Unit } from './units.js';

const port = parentPort!;
const post = (m: LaneMessage) => port.postMessage(m);

async function serve(start: LaneStart): Promise<void> {
  inheritSettings(start.settings);
  setDefaultWorkers(start.workers);
  const { REGISTRY } = (await import(start.registryUrl)) as { REGISTRY: Registry };
  const bySeed = new Map<number, Map<string, Unit>>();
  const unitOf = ({ id, runSeed }: { id: string; runSeed: number }): Unit => {
    let units = bySeed.get(runSeed);
    if (units === undefined) {
      units = new Map(unitsFor(REGISTRY.claims, start.budget, runSeed).map((u) => [u.id, u]));
      bySeed.set(runSeed, units);
    }
    const unit = units.get(id);
    if (unit === undefined) throw new Error(`no unit ${id} at root seed ${runSeed}`);
    return unit;
  };
  const controller = new AbortController();
  port.on('message', (m: { type: 'stop' }) => {
    if (m.type === 'stop') controller.abort();
  });
  const run = await runUnits(start.units.map(unitOf), {
    budget: start.budget,
    replay: new Map(start.replay),
    signal: controller.signal,
    onUnitStart: (_u, index) => post({ type: 'start', index }),
    onUnitDone: (result, index, _total, threw) => post({ type: 'done', index, result, threw }),
  });
  post({ type: 'end', complete: run.complete });
}

serve(workerData as LaneStart).catch((e: unknown) =>
  post({ type: 'error', message: e instanceof Error ? e.message : String(e) }),
);
