/** `rankcheck stability`: the budget's units at many root seeds, and whether each claim's verdict depends on the seed. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { sideLaneOf } from '../../audit/lanes.js';
import type { Registry } from '../../audit/registry.js';
import { BUDGETS, type Budget } from '../../core/vocabulary.js';
import { stabilityJson, stabilitySummary } from '../../report/run-summary.js';
import type { StabilityFile } from '../../report/stability-schema.js';
import { runStability } from '../../session/stability-run.js';
import type { Shard } from '../../session/shard-set.js';
import { resolveShard, slurmRequeued } from '../cluster-env.js';
import { stabilityRunExitCode } from '../exit-codes.js';
import {
  parseSeeds,
  parseShard,
  readStabilityFile,
  requireSameRun,
  requireSameShard,
  selectClaims,
  shardText,
} from '../inputs.js';
import { withInterrupt } from '../interrupt.js';
import { integerIn, oneOf } from '../option-parsers.js';
import { printResult } from '../print.js';
import { unitProgress } from '../unit-progress.js';

/** Root seeds by budget when --seeds is not given: 20 at quick, 5 at the larger budgets. */
const DEFAULT_SEEDS: Record<Budget, number> = { quick: 20, standard: 5, paper: 5 };

interface StabilityFlags {
  budget: Budget;
  seeds?: string;
  claim?: string[];
  out?: string;
  shard?: string;
  shardCount?: number;
  resume?: string;
  resumeIfPresent?: boolean;
  json?: boolean;
}

export function registerStability(program: Command, registry: Registry): void {
  program
    .command('stability')
    .description('run the budget at many root seeds and label every claim stable, flaky, blind or not-run')
    .option('--budget <B>', `${BUDGETS.join(', ')}`, oneOf(...BUDGETS), 'quick')
    .option('--seeds <N|A-B>', 'root seeds: a count N (0 … N−1) or a range A-B (default 20 at quick, 5 otherwise)')
    .option('--claim <ID...>', 'only these claims (repeat or comma-separate)')
    .option('--out <DIR>', 'where to write stability.json, .md and .html (default reports/stability/BUDGET)')
    .option(
      '--shard <i/n>',
      'run only shard i of n (a contiguous block of the seed-major units; merge with rankcheck merge); default: the Slurm array task or Kubernetes index',
    )
    .option('--shard-count <N>', 'shards of a Kubernetes indexed Job (or set RANKCHECK_SHARD_COUNT)', integerIn(1, 1e6))
    .option('--resume <DIR>', 'continue the partial run whose stability.json is in DIR')
    .option(
      '--resume-if-present',
      'continue the stability.json in --out if it is of this run and shard, else start it (implied in a requeued Slurm job)',
    )
    .option('--json', 'print the summary as one JSON object on stdout')
    .action((o: StabilityFlags) => stability(o, registry));
}

/** The run the flags describe; a resumed run is the same run: budget, seeds, claims and shard come from its file. */
function runOf(o: StabilityFlags, registry: Registry) {
  const shard = resolveShard(parseShard(o.shard), process.env, o.shardCount);
  const outDir = o.out ?? join('reports', 'stability', o.budget);
  const resumeDir = o.resume ?? continuedDir(o, outDir, registry, shard);
  if (resumeDir === undefined)
    return {
      claims: selectClaims(registry, o.claim),
      budget: o.budget,
      seeds: seedsOf(o),
      outDir,
      shard,
      resume: null,
    };
  const resume: StabilityFile = readStabilityFile(join(resumeDir, 'stability.json'), '--resume');
  requireSameShard(resume.provenance.shard, shard, `the file in ${resumeDir}`);
  return {
    claims: registry.claims.filter((c) => resume.summary.claims.some((x) => x.id === c.id)),
    budget: resume.provenance.budget,
    seeds: resume.summary.seeds,
    outDir: resumeDir,
    shard,
    resume,
  };
}

const seedsOf = (o: StabilityFlags): number[] => parseSeeds(o.seeds ?? String(DEFAULT_SEEDS[o.budget]));

/**
 * The output directory, when its stability.json is to be continued: --resume-if-present was given
 * or Slurm requeued this job, and the directory holds a stability file of the same run and shard.
 */
function continuedDir(o: StabilityFlags, outDir: string, registry: Registry, shard: Shard | null): string | undefined {
  const path = join(outDir, 'stability.json');
  if (!(o.resumeIfPresent || slurmRequeued(process.env)) || !existsSync(path)) return undefined;
  const held = readStabilityFile(path, '--out');
  const run = (claims: readonly string[], budget: string, seeds: readonly number[], s: Shard | null) => ({
    claims: claims.join(','),
    budget,
    seeds: seeds.join(','),
    shard: shardText(s),
  });
  requireSameRun(
    outDir,
    'stability file',
    run(
      selectClaims(registry, o.claim).map((c) => c.id),
      o.budget,
      seedsOf(o),
      shard,
    ),
    run(
      held.summary.claims.map((c) => c.id),
      held.provenance.budget,
      held.summary.seeds,
      held.provenance.shard,
    ),
  );
  process.stderr.write(`rankcheck: continuing the stability file in ${outDir} (${held.records.length} units done)\n`);
  return outDir;
}

/** The action of `stability`. */
async function stability(o: StabilityFlags, registry: Registry): Promise<void> {
  const run = runOf(o, registry);
  const progress = unitProgress('stability');
  try {
    const result = await withInterrupt('stopping after the unit in progress', (signal) =>
      runStability({
        ...run,
        sideLane: sideLaneOf(registry),
        signal,
        onUnitStart: progress.onUnitStart,
        onUnitDone: progress.onUnitDone,
      }),
    );
    progress.stop();
    printResult(stabilityJson(result.document), o.json, () =>
      stabilitySummary(result.document, run.outDir, result.crashed, result.interrupted),
    );
    process.exitCode = stabilityRunExitCode(result.document, result.crashed, result.interrupted);
  } finally {
    progress.stop();
  }
}
