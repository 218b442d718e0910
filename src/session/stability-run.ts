/**
 * `stability` as a configuration of the unit loop: the stability units of the chosen claims at a
 * budget and root seeds (seed-major; a shard is a contiguous block), records are stability
 * records, the document is stability.json (stability.md and stability.html beside it at the end).
 */
import { join } from 'node:path';
import {
  shardStabilityUnits,
  stabilityRecord,
  stabilityUnits,
  type StabilityRecord,
  type StabilityUnit,
} from '../audit/stability.js';
import type { SideLane } from '../audit/lanes.js';
import type { Budget, Claim } from '../core/vocabulary.js';
import { assembleStability } from '../report/stability-assemble.js';
import type { StabilityFile } from '../report/stability-schema.js';
import { writeStabilityFiles } from './files.js';
import { sessionProvenance, toolVersion } from './provenance.js';
import type { Shard } from './shard-set.js';
import { runLoop, type LoopResult } from './unit-loop.js';

export interface StabilityOptions {
  claims: readonly Claim[];
  budget: Budget;
  seeds: readonly number[];
  outDir: string;
  shard: Shard | null;
  /** A partial stability file of the same run to continue. */
  resume: StabilityFile | null;
  /** Where side-lane units may run beside the others (src/audit/lanes.ts); absent: all in this thread. */
  sideLane?: SideLane | null;
  signal?: AbortSignal;
  onUnitStart?: (unit: StabilityUnit, index: number, total: number) => void;
  onUnitDone?: (record: StabilityRecord, index: number, total: number) => void;
}

/** Runs `stability` as `o` describes; the document is the final stability file. */
export async function runStability(o: StabilityOptions): Promise<LoopResult<StabilityFile>> {
  const all = stabilityUnits(o.claims, o.budget, o.seeds);
  const expected = new Set(all.map((u) => u.id));
  const version = toolVersion();
  const provenanceAt = sessionProvenance(
    { seed: o.seeds[0] ?? 0, budget: o.budget, shard: o.shard },
    o.resume?.provenance ?? null,
  );
  return runLoop<StabilityUnit, StabilityRecord, StabilityFile>({
    document: 'stability file',
    budget: o.budget,
    mine: o.shard ? shardStabilityUnits(all, o.shard.index, o.shard.count) : all,
    prior: (o.resume?.records ?? []).filter((r) => expected.has(r.id)),
    auditUnit: (u) => u.unit,
    record: stabilityRecord,
    assemble: (records, elapsedMs) =>
      assembleStability(o.claims, o.budget, o.seeds, provenanceAt(elapsedMs), version, records),
    expected: all.length,
    held: (f) => f.records.length,
    checkpointPath: join(o.outDir, 'stability.json'),
    writeFinal: (f) => writeStabilityFiles(join(o.outDir, 'stability.json'), f),
    sideLane: o.sideLane,
    signal: o.signal,
    onUnitStart: o.onUnitStart,
    onUnitDone: o.onUnitDone,
  });
}
