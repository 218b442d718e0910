/** `rankcheck merge`: recombine the reports (or stability files) of shards 1/n … n/n into those of the unsharded run. */
import type { Command } from 'commander';
import type { Registry } from '../../audit/registry.js';
import { stabilityExitCode } from '../../audit/stability.js';
import { mergeReports, mergeStability, ShardSetError } from '../../session/merge-run.js';
import { auditExitCode } from '../exit-codes.js';
import { isStabilityFile, readReport, readStabilityFile } from '../inputs.js';
import { printResult } from '../print.js';
import { UsageError } from '../usage-error.js';

export function registerMerge(program: Command, registry: Registry): void {
  program
    .command('merge')
    .description('recombine the reports (or stability files) of shards 1/n … n/n into those of the unsharded run')
    .argument('<OUT>', 'where to write the merged report, X.json (X.md and X.html are written beside it)')
    .argument('<SHARD...>', 'the shard reports (report.json files)')
    .option('--json', 'print the merged report as one JSON object on stdout')
    .action((out: string, shardPaths: string[], o: { json?: boolean }) => merge(out, shardPaths, o, registry));
}

/** The action of `merge`: shards that do not belong together are bad input. */
async function merge(out: string, paths: string[], o: { json?: boolean }, registry: Registry): Promise<void> {
  if (!out.endsWith('.json')) throw new UsageError(`OUT must be a .json path (got ${out})`);
  try {
    if (paths.length > 0 && isStabilityFile(paths[0])) {
      const files = paths.map((path) => ({ path, file: readStabilityFile(path, 'SHARD') }));
      const merged = await mergeStability(out, files, registry.claims);
      printResult(merged.summary, o.json, () => mergedLine(files.length, 'stability shards', out, merged.partial));
      process.exitCode = merged.partial ? 1 : stabilityExitCode(merged.summary);
      return;
    }
    const shards = paths.map((path) => ({ path, report: readReport(path, 'SHARD') }));
    const merged = await mergeReports(out, shards, registry.claims);
    printResult(merged, o.json, () => mergedLine(shards.length, 'shards', out, merged.partial));
    process.exitCode = merged.partial ? 1 : auditExitCode(merged, []);
  } catch (e) {
    if (e instanceof ShardSetError) throw new UsageError(`SHARD: ${e.message}`);
    throw e;
  }
}

/** The line that says what was merged. */
function mergedLine(count: number, what: string, out: string, partial: boolean): string {
  return `merged ${count} ${what} into ${out}${partial ? ' (still partial: some units are missing)' : ''}`;
}
