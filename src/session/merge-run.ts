/** `merge`: checks that shard documents belong together, recombines them, writes the files of the whole run. */
import type { Claim } from '../core/vocabulary.js';
import { mergeShardReports, mergeStabilityFiles } from '../report/merge.js';
import type { Report } from '../report/schema.js';
import type { StabilityFile } from '../report/stability-schema.js';
import { writeReportFiles, writeStabilityFiles } from './files.js';
import { shardSetProblem, type ShardDocument, type ShardWords } from './shard-set.js';

/** The shards do not belong together: bad input, with the problem named. */
export class ShardSetError extends Error {
  override readonly name = 'ShardSetError';
}

/** The one path of both merges: check the set (ShardSetError naming the problem), merge, write. */
async function mergeChecked<D>(
  shards: readonly { path: string; doc: D }[],
  facts: (doc: D) => Omit<ShardDocument, 'path'>,
  words: ShardWords,
  merge: (docs: D[]) => D,
  write: (doc: D) => Promise<void>,
): Promise<D> {
  const problem = shardSetProblem(
    shards.map(({ path, doc }) => ({ path, ...facts(doc) })),
    words,
  );
  if (problem !== null) throw new ShardSetError(problem);
  const merged = merge(shards.map((s) => s.doc));
  await write(merged);
  return merged;
}

/** Merges shard reports into OUT.json (with .md and .html); throws ShardSetError when they do not belong together. */
export function mergeReports(
  out: string,
  shards: readonly { path: string; report: Report }[],
  registry: readonly Claim[],
): Promise<Report> {
  return mergeChecked(
    shards.map(({ path, report }) => ({ path, doc: report })),
    (r) => ({ shard: r.provenance.shard, run: `${r.provenance.budget}/${r.provenance.seed}`, version: r.tool.version }),
    { document: 'report', run: 'budget or seed' },
    (docs) => mergeShardReports(docs, registry),
    (merged) => writeReportFiles(out, merged),
  );
}

/** Merges stability shard files into OUT.json (with .md and .html); throws ShardSetError when they do not belong together. */
export function mergeStability(
  out: string,
  shards: readonly { path: string; file: StabilityFile }[],
  registry: readonly Claim[],
): Promise<StabilityFile> {
  return mergeChecked(
    shards.map(({ path, file }) => ({ path, doc: file })),
    (f) => ({
      shard: f.provenance.shard,
      run: `${f.provenance.budget}/${f.summary.seeds.join(',')}`,
      version: f.tool.version,
    }),
    { document: 'stability file', run: 'budget or seeds' },
    (docs) => mergeStabilityFiles(docs, registry),
    (merged) => writeStabilityFiles(out, merged),
  );
}
