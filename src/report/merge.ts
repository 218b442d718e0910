/**
 * Recombines the documents of shards 1/n … n/n of one run (reports or stability files) into
 * exactly the document of the unsharded run: the shards' records reassembled in registry order.
 * Pure; whether the shards belong together is checked before, by the session (shard-set.ts).
 */
import { unitsFor } from '../audit/units.js';
import type { Claim } from '../core/vocabulary.js';
import { assembleReport, unitResultsOf } from './assemble.js';
import type { Provenance, Report } from './schema.js';
import { assembleStability } from './stability-assemble.js';
import type { StabilityFile } from './stability-schema.js';

/** The provenance of the whole run: the first shard's, unsharded, from the earliest start, durations summed. */
function mergedProvenance(shards: readonly { provenance: Provenance }[]): Provenance {
  return {
    ...shards[0].provenance,
    shard: null,
    startedAt: shards.map((s) => s.provenance.startedAt).sort()[0],
    durationMs: shards.reduce((a, s) => a + s.provenance.durationMs, 0),
  };
}

/** The report of the whole run; `registry` supplies the claims the shards cover. */
export function mergeShardReports(shards: readonly Report[], registry: readonly Claim[]): Report {
  const first = shards[0];
  const claims = registry.filter((c) => first.claims.some((x) => x.id === c.id));
  const { budget, seed } = first.provenance;
  return assembleReport({
    toolVersion: first.tool.version,
    provenance: mergedProvenance(shards),
    claims,
    expectedUnits: unitsFor(claims, budget, seed).map((u) => u.id),
    results: shards.flatMap(unitResultsOf),
    stability: first.stability,
  });
}

/** The stability file of the whole run from its shards; `registry` supplies the claims. */
export function mergeStabilityFiles(shards: readonly StabilityFile[], registry: readonly Claim[]): StabilityFile {
  const first = shards[0];
  const ids = new Set(first.summary.claims.map((c) => c.id));
  return assembleStability(
    registry.filter((c) => ids.has(c.id)),
    first.provenance.budget,
    first.summary.seeds,
    mergedProvenance(shards),
    first.tool.version,
    shards.flatMap((s) => s.records),
  );
}
