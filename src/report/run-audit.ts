/**
 * An audit run: the units of the chosen claims at a budget (one shard of them, less those a
 * resumed report already has), run in order, with report.json rewritten atomically after every
 * unit so that an interruption loses at most the unit in progress. At the end report.json,
 * report.md and report.html are written.
 */
import { join } from 'node:path';
import type { UnitResult } from '../audit/records.js';
import { runUnits } from '../audit/runner.js';
import { shardUnits, unitsFor, type Unit } from '../audit/units.js';
import { writeFileAtomic } from '../core/atomic-write.js';
import type { Budget, Claim } from '../core/vocabulary.js';
import { float64Label } from '../model/evaluator.js';
import { currentBackend } from '../training/backend-state.js';
import { assembleReport, unitResultsOf, type StabilityBaseline } from './assemble.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import { collectProvenance, toolVersion } from './provenance.js';
import type { Report } from './schema.js';

export interface AuditOptions {
  claims: readonly Claim[];
  budget: Budget;
  seed: number;
  outDir: string;
  shard: { index: number; count: number } | null;
  /** A partial report of the same run to continue. */
  resume: Report | null;
  /** Shrink paths to replay, by unit id. */
  replay?: ReadonlyMap<string, string>;
  /** The stability baseline of the budget (reports/baseline/stability-BUDGET.json), if there is one. */
  stability?: StabilityBaseline | null;
  signal?: AbortSignal;
  onUnitStart?: (unit: Unit, index: number, total: number) => void;
  onUnitDone?: (result: UnitResult, index: number, total: number) => void;
}

export interface AuditResult {
  report: Report;
  /** Units whose code threw (a failure of the suite). */
  crashed: string[];
  interrupted: boolean;
}

/** Writes a report as X.json, X.md and X.html for jsonPath = X.json (each file atomically). */
export async function writeReportFiles(jsonPath: string, report: Report): Promise<void> {
  const stem = jsonPath.replace(/\.json$/, '');
  writeFileAtomic(`${stem}.json`, `${JSON.stringify(report, null, 1)}\n`);
  writeFileAtomic(`${stem}.md`, renderMarkdown(report));
  writeFileAtomic(`${stem}.html`, await renderHtml(report));
}

/** The numerical backends of the run: the float64 evaluator always, tfjs once a unit has trained. */
function backendLabel(resume: Report | null): string {
  const tfjs = currentBackend();
  if (tfjs !== null) return `${float64Label()} + tfjs-${tfjs}`;
  return resume?.provenance.backend ?? float64Label();
}

/** Runs the audit described by `o`; see the module comment. */
export async function runAudit(o: AuditOptions): Promise<AuditResult> {
  const started = o.resume ? new Date(o.resume.provenance.startedAt) : new Date();
  const priorMs = o.resume?.provenance.durationMs ?? 0;
  const t0 = performance.now();
  const all = unitsFor(o.claims, o.budget, o.seed);
  const expectedUnits = all.map((u) => u.id);
  const prior = o.resume ? unitResultsOf(o.resume).filter((r) => expectedUnits.includes(r.id)) : [];
  const done = new Set(prior.map((r) => r.id));
  const mine = o.shard ? shardUnits(all, o.shard.index, o.shard.count) : all;
  const toRun = mine.filter((u) => !done.has(u.id));
  const results: UnitResult[] = [...prior];
  const version = toolVersion();
  const provenance = collectProvenance({
    seed: o.seed,
    budget: o.budget,
    startedAt: started,
    durationMs: 0,
    shard: o.shard,
  });
  const assemble = () =>
    assembleReport({
      toolVersion: version,
      provenance: {
        ...provenance,
        backend: backendLabel(o.resume),
        durationMs: Math.round(priorMs + performance.now() - t0),
      },
      claims: o.claims,
      expectedUnits,
      results,
      stability: o.stability ?? null,
    });
  // A report that fails to assemble is a bug of the suite, not of a claim: the units keep running,
  // the last report that did assemble stays on disk (its finished units are never lost), and the
  // run ends with an internal error naming the failure.
  const state: { lastGood: Report | null; failure: unknown } = { lastGood: null, failure: null };
  const tryAssemble = (): Report | null => {
    try {
      state.lastGood = assemble();
    } catch (e) {
      state.failure ??= e;
      return null;
    }
    return state.lastGood;
  };
  const run = await runUnits(toRun, {
    budget: o.budget,
    replay: o.replay,
    signal: o.signal,
    onUnitStart: o.onUnitStart,
    onUnitDone: (result, index, total) => {
      results.push(result);
      const r = tryAssemble();
      if (r) writeFileAtomic(join(o.outDir, 'report.json'), `${JSON.stringify(r, null, 1)}\n`);
      o.onUnitDone?.(result, index, total);
    },
  });
  const report = tryAssemble();
  const { failure } = state;
  if (report === null || failure !== null) {
    const kept = state.lastGood;
    if (kept) await writeReportFiles(join(o.outDir, 'report.json'), kept);
    const message = failure instanceof Error ? failure.message : String(failure);
    throw new ReportAssemblyError(
      `assembling the report failed (${message}); ${kept ? `the last report that assembled (${kept.completedUnits.length} of ${expectedUnits.length} units) is in ${o.outDir}` : 'no report could be assembled'}`,
    );
  }
  await writeReportFiles(join(o.outDir, 'report.json'), report);
  return { report, crashed: run.crashed, interrupted: !run.complete };
}

/** The report could not be assembled: an internal error (exit 3), with the last good report kept. */
export class ReportAssemblyError extends Error {
  override readonly name = 'ReportAssemblyError';
}
