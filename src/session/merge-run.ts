/** `merge`: checks that shard documents belong together, recombines them, writes the files of the whole run. */
import type { Claim } from '../core/vocabulary.js';
import { mergeShardReports, mergeStabilityFiles } from '../report/merge.js';
import type { Report } from '../report/schema.js';
import type { StabilityFile } from '../report/stability-schema.js';
import { writeReportFiles, writeStabilityFiles } from './files.js';
import { shardSetProblem } from './shard-set.js';

/** The shards do not belong together: bad input, with the problem named. */
export class ShardSetError extends Error {
  override readonly name = 'ShardSetError';
}

/** Merges shard reports into OUT.json (with .md and .html); throws ShardSetError when they do not belong together. */
export async function mergeReports(
  out: string,
  shards: readonly { path: string; report: Report }[],
  registry: readonly Claim[],
): Promise<Report> {
  const problem = shardSetProblem(
    shards.map(({ path, report: r }) => ({
      path,
      shard: r.provenance.shard,
      run: `${r.provenance.budget}/${r.provenance.seed}`,
      version: r.tool.version,
    })),
    { document: 'report', run: 'budget or seed' },
  );
  if (problem !== null) throw new ShardSetError(problem);
  const merged = mergeShardReports(
    shards.map((s) => s.report),
    registry,
  );
  await writeReportFiles(out, merged);
  return merged;
}

/** Merges stability shard files into OUT.json (with .md and .html); throws ShardSetError when they do not belong together. */
export async function mergeStability(
  out: string,
  shards: readonly { path: string; file: StabilityFile }[],
  registry: readonly Claim[],
): Promise<StabilityFile> {
  const problem = shardSetProblem(
    shards.map(({ path, file: f }) => ({
      path,
      shard: f.provenance.shard,
      run: `${f.provenance.budget}/${f.summary.seeds.join(',')}`,
      version: f.tool.version,
    })),
    { document: 'stability file', run: 'budget or seeds' },
  );
  if (problem !== null) throw new ShardSetError(problem);
  const merged = mergeStabilityFiles(
    shards.map((s) => s.file),
    registry,
  );
  await writeStabilityFiles(out, merged);
  return merged;
}
