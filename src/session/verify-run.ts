/**
 * `verify` as a configuration of the unit loop: the units of the chosen claims at a budget and
 * seed, records are the units' results, the document is report.json (report.md and report.html
 * beside it at the end).
 */
import { join } from 'node:path';
import type { UnitResult } from '../audit/records.js';
import { shardUnits, unitsFor, type Unit } from '../audit/units.js';
import type { SideLane } from '../audit/lanes.js';
import type { Budget, Claim } from '../core/vocabulary.js';
import { assembleReport, unitResultsOf, type StabilityBaseline } from '../report/assemble.js';
import type { Report } from '../report/schema.js';
import { writeReportFiles } from './files.js';
import { sessionProvenance, toolVersion } from './provenance.js';
import type { Shard } from './shard-set.js';
import { runLoop, type LoopResult } from './unit-loop.js';

export interface VerifyOptions {
  claims: readonly Claim[];
  budget: Budget;
  seed: number;
  outDir: string;
  shard: Shard | null;
  /** A partial report of the same run to continue. */
  resume: Report | null;
  /** Shrink paths to replay, by unit id. */
  replay?: ReadonlyMap<string, string>;
  /** The stability baseline of the budget (reports/baseline/stability-BUDGET.json), if there is one. */
  stability?: StabilityBaseline | null;
  /** Where side-lane units may run beside the others (src/audit/lanes.ts); absent: all in this thread. */
  sideLane?: SideLane | null;
  signal?: AbortSignal;
  onUnitStart?: (unit: Unit, index: number, total: number) => void;
  onUnitDone?: (result: UnitResult, index: number, total: number) => void;
}

/** Runs `verify` as `o` describes; the document is the final report. */
export async function runVerify(o: VerifyOptions): Promise<LoopResult<Report>> {
  const all = unitsFor(o.claims, o.budget, o.seed);
  const expectedUnits = all.map((u) => u.id);
  const expected = new Set(expectedUnits);
  const version = toolVersion();
  const provenanceAt = sessionProvenance(
    { seed: o.seed, budget: o.budget, shard: o.shard },
    o.resume?.provenance ?? null,
  );
  return runLoop<Unit, UnitResult, Report>({
    document: 'report',
    budget: o.budget,
    mine: o.shard ? shardUnits(all, o.shard.index, o.shard.count) : all,
    prior: o.resume ? unitResultsOf(o.resume).filter((r) => expected.has(r.id)) : [],
    auditUnit: (u) => u,
    record: (_u, result) => result,
    assemble: (results, elapsedMs) =>
      assembleReport({
        toolVersion: version,
        provenance: provenanceAt(elapsedMs),
        claims: o.claims,
        expectedUnits,
        results,
        stability: o.stability ?? null,
      }),
    expected: expectedUnits.length,
    held: (r) => r.completedUnits.length,
    checkpointPath: join(o.outDir, 'report.json'),
    writeFinal: (r) => writeReportFiles(join(o.outDir, 'report.json'), r),
    replay: o.replay,
    sideLane: o.sideLane,
    signal: o.signal,
    onUnitStart: o.onUnitStart,
    onUnitDone: o.onUnitDone,
  });
}
