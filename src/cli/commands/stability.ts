/** `rankcheck stability`: the budget's units at many root seeds, and whether each claim's verdict depends on the seed. */
import { join } from 'node:path';
import type { Command } from 'commander';
import type { Registry } from '../../audit/registry.js';
import { BUDGETS, type Budget } from '../../core/vocabulary.js';
import { stabilityJson, stabilitySummary } from '../../report/run-summary.js';
import type { StabilityFile } from '../../report/stability-schema.js';
import { runStability } from '../../session/stability-run.js';
import { stabilityRunExitCode } from '../exit-codes.js';
import { parseSeeds, parseShard, readStabilityFile, requireSameShard, selectClaims } from '../inputs.js';
import { withInterrupt } from '../interrupt.js';
import { oneOf } from '../option-parsers.js';
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
  resume?: string;
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
      'run only shard i of n (a contiguous block of the seed-major units; merge with rankcheck merge)',
    )
    .option('--resume <DIR>', 'continue the partial run whose stability.json is in DIR')
    .option('--json', 'print the summary as one JSON object on stdout')
    .action((o: StabilityFlags) => stability(o, registry));
}

/** The run the flags describe; a resumed run is the same run: budget, seeds, claims and shard come from its file. */
function runOf(o: StabilityFlags, registry: Registry) {
  const shard = parseShard(o.shard);
  if (o.resume === undefined)
    return {
      claims: selectClaims(registry, o.claim),
      budget: o.budget,
      seeds: parseSeeds(o.seeds ?? String(DEFAULT_SEEDS[o.budget])),
      outDir: o.out ?? join('reports', 'stability', o.budget),
      shard,
      resume: null,
    };
  const resume: StabilityFile = readStabilityFile(join(o.resume, 'stability.json'), '--resume');
  requireSameShard(resume.provenance.shard, shard, `the file in ${o.resume}`);
  return {
    claims: registry.claims.filter((c) => resume.summary.claims.some((x) => x.id === c.id)),
    budget: resume.provenance.budget,
    seeds: resume.summary.seeds,
    outDir: o.resume,
    shard,
    resume,
  };
}

/** The action of `stability`. */
async function stability(o: StabilityFlags, registry: Registry): Promise<void> {
  const run = runOf(o, registry);
  const progress = unitProgress('stability');
  try {
    const result = await withInterrupt('stopping after the unit in progress', (signal) =>
      runStability({ ...run, signal, onUnitStart: progress.onUnitStart, onUnitDone: progress.onUnitDone }),
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
