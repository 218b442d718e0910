/** `rankcheck verify`: run the checks and sentinels of the claims and write report.json, report.md and report.html. */
import { join } from 'node:path';
import type { Command } from 'commander';
import type { Registry } from '../../audit/registry.js';
import { unitsFor } from '../../audit/units.js';
import { BUDGETS, type Budget } from '../../core/vocabulary.js';
import { verifySummary } from '../../report/run-summary.js';
import type { Report } from '../../report/schema.js';
import { runVerify } from '../../session/verify-run.js';
import { auditExitCode } from '../exit-codes.js';
import { parseShard, readReport, readStabilityBaseline, requireSameShard, selectClaims } from '../inputs.js';
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
  resume?: string;
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
    .option('--shard <i/n>', 'run only shard i of n (merge the shard reports with rankcheck merge)')
    .option('--resume <DIR>', 'continue the partial run whose report.json is in DIR')
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
  const shard = parseShard(o.shard);
  if (o.resume === undefined)
    return {
      claims: selectClaims(registry, o.claim),
      budget: o.budget,
      seed: o.seed,
      outDir: o.out,
      shard,
      resume: null,
    };
  const resume: Report = readReport(join(o.resume, 'report.json'), '--resume');
  requireSameShard(resume.provenance.shard, shard, `the report in ${o.resume}`);
  return {
    claims: registry.claims.filter((c) => resume.claims.some((x) => x.id === c.id)),
    budget: resume.provenance.budget,
    seed: resume.provenance.seed,
    outDir: o.resume,
    shard,
    resume,
  };
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
