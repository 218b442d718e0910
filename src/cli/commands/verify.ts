/** `rankcheck verify`: run the checks and sentinels of the claims and write report.json, report.md and report.html. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { sideLaneOf } from '../../audit/lanes.js';
import type { Registry } from '../../audit/registry.js';
import { unitsFor } from '../../audit/units.js';
import { BUDGETS, type Budget } from '../../core/vocabulary.js';
import { verifySummary } from '../../report/run-summary.js';
import type { Report } from '../../report/schema.js';
import type { Shard } from '../../session/shard-set.js';
import { runVerify } from '../../session/verify-run.js';
import { resolveShard, slurmRequeued } from '../cluster-env.js';
import { auditExitCode } from '../exit-codes.js';
import {
  parseShard,
  readReport,
  readStabilityBaseline,
  requireSameRun,
  requireSameShard,
  selectClaims,
  shardText,
} from '../inputs.js';
import { withInterrupt } from '../interrupt.js';
import { integerIn, oneOf } from '../option-parsers.js';
import { printResult } from '../print.js';
import { unitProgress } from '../unit-progress.js';
import { UsageError } from '../usage-error.js';

interface VerifyFlags {
  claim?: string[];
  budget: Budget;
  seed: number;
  out: string;
  shard?: string;
  shardCount?: number;
  resume?: string;
  resumeIfPresent?: boolean;
  replay?: string[];
  json?: boolean;
}

export function registerVerify(program: Command, registry: Registry): void {
  program
    .command('verify')
    .description('run the checks and sentinels of every claim and write report.json, report.md and report.html')
    .option('--claim <ID...>', 'only these claims (repeat or comma-separate)')
    .option('--budget <B>', `${BUDGETS.join(', ')}`, oneOf(...BUDGETS), 'quick')
    .option('--seed <S>', 'seed of the whole run', integerIn(0, 2 ** 31 - 1), 0)
    .option('--out <DIR>', 'where to write the reports', 'reports/latest')
    .option(
      '--shard <i/n>',
      'run only shard i of n (merge the shard reports with rankcheck merge); default: the Slurm array task or Kubernetes index',
    )
    .option('--shard-count <N>', 'shards of a Kubernetes indexed Job (or set RANKCHECK_SHARD_COUNT)', integerIn(1, 1e6))
    .option('--resume <DIR>', 'continue the partial run whose report.json is in DIR')
    .option(
      '--resume-if-present',
      'continue the report in --out if it is of this run and shard, else start it (implied in a requeued Slurm job)',
    )
    .option('--replay <UNIT=PATH...>', 'replay a shrunk counterexample in one unit (the line a failure prints)')
    .option('--json', 'print the report as one JSON object on stdout')
    .action((o: VerifyFlags) => verify(o, registry));
}

/** --replay UNIT=PATH, repeatable: shrink paths by unit id, each unit one of the run's. */
function parseReplay(items: string[] | undefined, units: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const item of items ?? []) {
    const at = item.lastIndexOf('=');
    if (at <= 0 || at === item.length - 1)
      throw new UsageError(`--replay must look like UNIT=PATH, e.g. fact-1/check/hardmax-exact=3:1 (got "${item}")`);
    const unit = item.slice(0, at);
    if (!units.includes(unit))
      throw new UsageError(
        `--replay: ${unit} is not a unit of this run (see rankcheck list, or check --claim and --budget)`,
      );
    out.set(unit, item.slice(at + 1));
  }
  return out;
}

/** The run the flags describe; a resumed run is the same run: budget, seed, claims and shard come from its report. */
function runOf(o: VerifyFlags, registry: Registry) {
  const shard = resolveShard(parseShard(o.shard), process.env, o.shardCount);
  const resumeDir = o.resume ?? continuedDir(o, registry, shard);
  if (resumeDir === undefined)
    return {
      claims: selectClaims(registry, o.claim),
      budget: o.budget,
      seed: o.seed,
      outDir: o.out,
      shard,
      resume: null,
    };
  const resume: Report = readReport(join(resumeDir, 'report.json'), '--resume');
  requireSameShard(resume.provenance.shard, shard, `the report in ${resumeDir}`);
  return {
    claims: registry.claims.filter((c) => resume.claims.some((x) => x.id === c.id)),
    budget: resume.provenance.budget,
    seed: resume.provenance.seed,
    outDir: resumeDir,
    shard,
    resume,
  };
}

/**
 * --out, when its report is to be continued: --resume-if-present was given or Slurm requeued this
 * job, and --out holds a report, which must then be of the same run and shard.
 */
function continuedDir(o: VerifyFlags, registry: Registry, shard: Shard | null): string | undefined {
  const path = join(o.out, 'report.json');
  if (!(o.resumeIfPresent || slurmRequeued(process.env)) || !existsSync(path)) return undefined;
  const held = readReport(path, '--out');
  const run = (claims: readonly string[], budget: string, seed: number, s: Shard | null) => ({
    claims: claims.join(','),
    budget,
    seed: String(seed),
    shard: shardText(s),
  });
  requireSameRun(
    o.out,
    'report',
    run(
      selectClaims(registry, o.claim).map((c) => c.id),
      o.budget,
      o.seed,
      shard,
    ),
    run(
      held.claims.map((c) => c.id),
      held.provenance.budget,
      held.provenance.seed,
      held.provenance.shard,
    ),
  );
  process.stderr.write(`rankcheck: continuing the report in ${o.out} (${held.completedUnits.length} units done)\n`);
  return o.out;
}

/** The action of `verify`. */
async function verify(o: VerifyFlags, registry: Registry): Promise<void> {
  const run = runOf(o, registry);
  const replay = parseReplay(
    o.replay,
    unitsFor(run.claims, run.budget, run.seed).map((u) => u.id),
  );
  const stability = run.resume ? run.resume.stability : readStabilityBaseline(run.budget);
  const progress = unitProgress('verify');
  try {
    const result = await withInterrupt('stopping after the unit in progress', (signal) =>
      runVerify({
        ...run,
        replay,
        stability,
        sideLane: sideLaneOf(registry),
        signal,
        onUnitStart: progress.onUnitStart,
        onUnitDone: progress.onUnitDone,
      }),
    );
    progress.stop();
    printResult(result.document, o.json, () =>
      verifySummary(result.document, run.outDir, result.crashed, result.interrupted),
    );
    process.exitCode = result.interrupted ? 130 : auditExitCode(result.document, result.crashed);
  } finally {
    progress.stop();
  }
}
