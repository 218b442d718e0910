/**
 * Recombines the reports of shards 1/n … n/n of one run into exactly the report of the unsharded
 * run (the shards' units reassembled in registry order), after checking that they belong together.
 */
import { unitsFor } from '../audit/units.js';
import type { Claim } from '../core/vocabulary.js';
import { assembleReport, unitResultsOf } from './assemble.js';
import type { Report } from './schema.js';

/** Why a set of shard reports cannot be merged, naming the offending file; null when they can. */
export function mergeProblem(shards: readonly { path: string; report: Report }[]): string | null {
  if (shards.length === 0) return 'no shard reports given';
  const first = shards[0].report;
  const count = first.provenance.shard?.count;
  for (const { path, report: s } of shards) {
    if (!s.provenance.shard) return `${path} is not a shard report`;
    if (s.provenance.shard.count !== count) return `${path} is of ${s.provenance.shard.count} shards, not ${count}`;
    if (s.provenance.seed !== first.provenance.seed || s.provenance.budget !== first.provenance.budget)
      return `${path} has another seed or budget than ${shards[0].path}`;
    if (s.tool.version !== first.tool.version)
      return `${path} was made by rankcheck ${s.tool.version}, not ${first.tool.version}`;
  }
  const indices = shards.map((s) => s.report.provenance.shard!.index).sort((a, b) => a - b);
  const expected = Array.from({ length: count ?? 0 }, (_, k) => k + 1);
  if (indices.join(',') !== expected.join(','))
    return `need each of shards 1…${count} exactly once (got ${indices.join(', ')})`;
  return null;
}

/** The report of the whole run; `registry` supplies the claims the shards cover. */
export function mergeShardReports(shards: readonly Report[], registry: readonly Claim[]): Report {
  const first = shards[0];
  const claims = registry.filter((c) => first.claims.some((x) => x.id === c.id));
  const { budget, seed } = first.provenance;
  return assembleReport({
    toolVersion: first.tool.version,
    provenance: {
      ...first.provenance,
      shard: null,
      startedAt: shards.map((s) => s.provenance.startedAt).sort()[0],
      durationMs: shards.reduce((a, s) => a + s.provenance.durationMs, 0),
    },
    claims,
    expectedUnits: unitsFor(claims, budget, seed).map((u) => u.id),
    results: shards.flatMap(unitResultsOf),
    stability: first.stability,
  });
}
