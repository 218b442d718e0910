/**
 * A stability run: the stability units of the chosen claims at a budget and root seeds (one shard
 * of them, less those a resumed file already has), run in order with stability.json rewritten
 * atomically after every unit, then stability.json, stability.md and stability.html written.
 * Shards of one run merge into exactly the file of the unsharded run.
 */
import { join } from 'node:path';
import { runUnits } from '../audit/runner.js';
import {
  shardStabilityUnits,
  stabilityRecord,
  stabilityUnits,
  summariseStability,
  type StabilityRecord,
  type StabilityUnit,
} from '../audit/stability.js';
import { writeFileAtomic } from '../core/atomic-write.js';
import type { Budget, Claim } from '../core/vocabulary.js';
import { float64Label } from '../model/evaluator.js';
import { currentBackend } from '../training/backend-state.js';
import { collectProvenance, toolVersion } from './provenance.js';
import type { Provenance } from './schema.js';
import { STABILITY_SCHEMA_VERSION, validateStabilityFile, type StabilityFile } from './stability-schema.js';
import { renderStabilityHtml, renderStabilityMarkdown } from './stability-render.js';

export interface StabilityOptions {
  claims: readonly Claim[];
  budget: Budget;
  seeds: readonly number[];
  outDir: string;
  shard: { index: number; count: number } | null;
  /** A partial stability file of the same run to continue. */
  resume: StabilityFile | null;
  signal?: AbortSignal;
  onUnitStart?: (unit: StabilityUnit, index: number, total: number) => void;
  onUnitDone?: (record: StabilityRecord, index: number, total: number) => void;
}

export interface StabilityResult {
  file: StabilityFile;
  crashed: string[];
  interrupted: boolean;
}

/** The stability file of these records (pure: resumed and merged runs give the same file as one run). */
export function assembleStability(
  claims: readonly Claim[],
  budget: Budget,
  seeds: readonly number[],
  provenance: Provenance,
  version: string,
  records: readonly StabilityRecord[],
): StabilityFile {
  const expected = stabilityUnits(claims, budget, seeds).map((u) => u.id);
  const byId = new Map(records.map((r) => [r.id, r]));
  const ordered = expected.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  return validateStabilityFile({
    schemaVersion: STABILITY_SCHEMA_VERSION,
    kind: 'rankcheck-stability',
    tool: { name: 'rankcheck', version },
    provenance,
    expectedUnits: expected,
    partial: ordered.length < expected.length,
    records: ordered,
    summary: summariseStability(claims, budget, seeds, ordered),
  });
}

/** Writes X.json, X.md and X.html for jsonPath = X.json (each atomically). */
export async function writeStabilityFiles(jsonPath: string, file: StabilityFile): Promise<void> {
  const stem = jsonPath.replace(/\.json$/, '');
  writeFileAtomic(`${stem}.json`, `${JSON.stringify(file, null, 1)}\n`);
  writeFileAtomic(`${stem}.md`, renderStabilityMarkdown(file));
  writeFileAtomic(`${stem}.html`, await renderStabilityHtml(file));
}

/** Runs the stability audit described by `o`; see the module comment. */
export async function runStability(o: StabilityOptions): Promise<StabilityResult> {
  const started = o.resume ? new Date(o.resume.provenance.startedAt) : new Date();
  const priorMs = o.resume?.provenance.durationMs ?? 0;
  const t0 = performance.now();
  const all = stabilityUnits(o.claims, o.budget, o.seeds);
  const expected = new Set(all.map((u) => u.id));
  const records: StabilityRecord[] = (o.resume?.records ?? []).filter((r) => expected.has(r.id));
  const done = new Set(records.map((r) => r.id));
  const mine = o.shard ? shardStabilityUnits(all, o.shard.index, o.shard.count) : all;
  const toRun = mine.filter((u) => !done.has(u.id));
  const version = toolVersion();
  const base = collectProvenance({
    seed: o.seeds[0] ?? 0,
    budget: o.budget,
    startedAt: started,
    durationMs: 0,
    shard: o.shard,
  });
  const assemble = () => {
    const tfjs = currentBackend();
    const backend =
      tfjs !== null ? `${float64Label()} + tfjs-${tfjs}` : (o.resume?.provenance.backend ?? float64Label());
    return assembleStability(
      o.claims,
      o.budget,
      o.seeds,
      { ...base, backend, durationMs: Math.round(priorMs + performance.now() - t0) },
      version,
      records,
    );
  };
  const path = join(o.outDir, 'stability.json');
  const crashed: string[] = [];
  const run = await runUnits(
    toRun.map((u) => u.unit),
    {
      budget: o.budget,
      signal: o.signal,
      onUnitStart: (_unit, index, total) => o.onUnitStart?.(toRun[index], index, total),
      onUnitDone: (result, index, total, threw) => {
        if (threw) crashed.push(toRun[index].id);
        const record = stabilityRecord(toRun[index], result);
        records.push(record);
        writeFileAtomic(path, `${JSON.stringify(assemble(), null, 1)}\n`);
        o.onUnitDone?.(record, index, total);
      },
    },
  );
  const file = assemble();
  await writeStabilityFiles(path, file);
  return { file, crashed, interrupted: !run.complete };
}

/** Why stability shard files cannot be merged, naming the offending file; null when they can. */
export function stabilityMergeProblem(shards: readonly { path: string; file: StabilityFile }[]): string | null {
  if (shards.length === 0) return 'no shard files given';
  const first = shards[0].file;
  const count = first.provenance.shard?.count;
  for (const { path, file } of shards) {
    if (!file.provenance.shard) return `${path} is not a shard of a stability run`;
    if (file.provenance.shard.count !== count)
      return `${path} is of ${file.provenance.shard.count} shards, not ${count}`;
    if (
      file.provenance.budget !== first.provenance.budget ||
      file.summary.seeds.join(',') !== first.summary.seeds.join(',')
    )
      return `${path} has another budget or other seeds than ${shards[0].path}`;
    if (file.tool.version !== first.tool.version)
      return `${path} was made by rankcheck ${file.tool.version}, not ${first.tool.version}`;
  }
  const indices = shards.map((s) => s.file.provenance.shard!.index).sort((a, b) => a - b);
  const expected = Array.from({ length: count ?? 0 }, (_, k) => k + 1);
  return indices.join(',') === expected.join(',')
    ? null
    : `need each of shards 1…${count} exactly once (got ${indices.join(', ')})`;
}

/** The stability file of the whole run from its shards; `registry` supplies the claims. */
export function mergeStabilityFiles(shards: readonly StabilityFile[], registry: readonly Claim[]): StabilityFile {
  const first = shards[0];
  const ids = new Set(first.summary.claims.map((c) => c.id));
  const claims = registry.filter((c) => ids.has(c.id));
  const provenance = {
    ...first.provenance,
    shard: null,
    startedAt: shards.map((s) => s.provenance.startedAt).sort()[0],
    durationMs: shards.reduce((a, s) => a + s.provenance.durationMs, 0),
  };
  return assembleStability(
    claims,
    first.provenance.budget,
    first.summary.seeds,
    provenance,
    first.tool.version,
    shards.flatMap((s) => s.records),
  );
}
