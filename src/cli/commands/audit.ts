/** `rankcheck list`, `verify`, `compare`, `merge`: the audit of every registered claim. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { unitsFor } from '../../audit/units.js';
import { claimSentinels, BUDGETS, type Budget } from '../../core/vocabulary.js';
import { compareReports } from '../../report/compare.js';
import { SpreadTable } from '../../report/metric-spread.js';
import { stabilityBaseline, type StabilityBaseline } from '../../report/assemble.js';
import { packageRoot } from '../../core/package-root.js';
import { mergeProblem, mergeShardReports } from '../../report/merge.js';
import { runAudit, writeReportFiles } from '../../report/run-audit.js';
import { mergeStabilityFiles, stabilityMergeProblem, writeStabilityFiles } from '../../report/run-stability.js';
import { stabilityExitCode } from '../../audit/stability.js';
import type { Report } from '../../report/schema.js';
import { withInterrupt } from '../interrupt.js';
import { integerIn, oneOf } from '../option-parsers.js';
import { printResult } from '../print.js';
import type { Registry } from '../../audit/registry.js';
import { unitProgress } from '../unit-progress.js';
import { UsageError } from '../usage-error.js';
import {
  isStabilityFile,
  parseShard,
  readReport,
  readStabilityFile,
  requireSameShard,
  selectClaims,
} from '../inputs.js';

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

/** Where the committed stability baseline of a budget lives. */
function committedStabilityPath(budget: Budget): string {
  return join(packageRoot(), 'reports', 'baseline', `stability-${budget}.json`);
}

/** The committed stability baseline of a budget (reports/baseline/stability-BUDGET.json), or null when there is none. */
function readStabilityBaseline(budget: Budget): StabilityBaseline | null {
  const path = committedStabilityPath(budget);
  return existsSync(path) ? stabilityBaseline(readStabilityFile(path, 'the stability baseline')) : null;
}

/** Exit code of a finished audit: 1 when a claim is violated, a sentinel missed or a check crashed. */
function auditExitCode(report: Report, crashed: string[]): number {
  const violated = report.claims.some((c) => c.verdict === 'violated');
  const missed = report.sensitivity.some((s) => !s.caught);
  return violated || missed || crashed.length > 0 ? 1 : 0;
}

/** The command that reruns one failed check on its shrunk counterexample. */
function replayCommand(report: Report, claim: string, check: string, path: string): string {
  const p = report.provenance;
  return `rankcheck verify --claim ${claim} --budget ${p.budget} --seed ${p.seed} --replay ${claim}/check/${check}=${path}`;
}

function summaryText(report: Report, outDir: string, crashed: string[], interrupted: boolean): string {
  const lines = [
    `rankcheck verify — budget ${report.provenance.budget}, seed ${report.provenance.seed}${report.provenance.shard ? `, shard ${report.provenance.shard.index}/${report.provenance.shard.count}` : ''}`,
  ];
  const width = Math.max(...report.claims.map((c) => c.id.length));
  for (const c of report.claims)
    lines.push(
      `  ${c.id.padEnd(width)}  ${c.verdict.padEnd(12)}  ${c.keyResult ? `${c.keyResult.label}: ${c.keyResult.text}` : (c.notRunReason ?? '')}`,
    );
  for (const c of report.claims) {
    for (const k of c.checks)
      if (k.verdict === 'violated' && k.replay.path)
        lines.push(`  replay ${c.id}/${k.name}: ${replayCommand(report, c.id, k.name, k.replay.path)}`);
  }
  const missed = report.sensitivity.filter((s) => !s.caught);
  lines.push(
    `  sentinels caught: ${report.sensitivity.length - missed.length}/${report.sensitivity.length}${missed.length ? ` — MISSED: ${missed.map((s) => `${s.claim}/${s.sentinel}@${s.check}`).join(', ')}` : ''}`,
  );
  if (crashed.length) lines.push(`  crashed: ${crashed.join(', ')}`);
  if (interrupted)
    lines.push(
      `  interrupted: ${report.completedUnits.length} units kept; continue with: rankcheck verify --resume ${outDir}`,
    );
  lines.push(`  report: ${join(outDir, 'report.html')} (also report.md, report.json)`);
  return lines.join('\n');
}

interface VerifyOptions {
  claim?: string[];
  budget: Budget;
  seed: number;
  out: string;
  shard?: string;
  resume?: string;
  replay?: string[];
  json?: boolean;
}

export function registerAudit(program: Command, registry: Registry): void {
  program
    .command('list')
    .description('the registered claims, where their mathematics lives, and what each budget runs')
    .option('--json', 'print one JSON object on stdout')
    .action((o: { json?: boolean }) => {
      const claims = registry.claims.map((c) => ({
        id: c.id,
        title: c.title,
        paperRef: c.paperRef,
        reconstructed: c.reconstructed,
        sources: c.sources,
        notRunReason: c.notRunReason ?? null,
        checks: c.checks.map((k) => ({
          name: k.name,
          kind: k.kind,
          description: k.description,
          budgets: k.sizes,
          seedFree: k.seedFree === true,
        })),
        sentinels: claimSentinels(c),
        figures: c.figures.map((f) => ({ id: f.id, title: f.title, budgets: f.budgets })),
        units: Object.fromEntries(BUDGETS.map((b) => [b, unitsFor([c], b, 0).length])),
      }));
      printResult({ claims }, o.json, () =>
        claims
          .map((c) =>
            [
              `${c.id} — ${c.title} (${c.paperRef})${c.notRunReason ? `\n  not run: ${c.notRunReason}` : ''}`,
              `  derivation ${c.sources.proofNote}; code ${c.sources.code.join(', ')}; checks ${c.sources.checks}`,
              ...c.checks.map(
                (k) =>
                  `  check ${k.name} [${k.kind}]: ${BUDGETS.map((b) => `${b}: ${k.budgets[b] ?? '—'}`).join('; ')}`,
              ),
              ...c.sentinels.map((s) => `  sentinel ${s.name} → ${s.check}: ${s.description}`),
              ...c.figures.map((f) => `  figure ${f.id}: ${f.title}`),
            ].join('\n'),
          )
          .join('\n\n'),
      );
    });

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
    .action(async (o: VerifyOptions) => {
      const shard = parseShard(o.shard);
      let claims = selectClaims(registry, o.claim);
      let resume: Report | null = null;
      let outDir = o.out;
      let budget = o.budget;
      let seed = o.seed;
      if (o.resume !== undefined) {
        resume = readReport(join(o.resume, 'report.json'), '--resume');
        // A resumed run is the same run: its budget, seed, claims and shard come from the report.
        budget = resume.provenance.budget;
        seed = resume.provenance.seed;
        claims = registry.claims.filter((c) => resume!.claims.some((x) => x.id === c.id));
        outDir = o.resume;
        requireSameShard(resume.provenance.shard, shard, `the report in ${o.resume}`);
      }
      const replay = parseReplay(
        o.replay,
        unitsFor(claims, budget, seed).map((u) => u.id),
      );
      const stability = resume ? resume.stability : readStabilityBaseline(budget);
      const progress = unitProgress('verify');
      try {
        const result = await withInterrupt('stopping after the unit in progress', (signal) =>
          runAudit({
            claims,
            budget,
            seed,
            outDir,
            shard,
            resume,
            replay,
            stability,
            signal,
            onUnitStart: progress.onUnitStart,
            onUnitDone: progress.onUnitDone,
          }),
        );
        progress.stop();
        printResult(result.report, o.json, () =>
          summaryText(result.report, outDir, result.crashed, result.interrupted),
        );
        process.exitCode = result.interrupted ? 130 : auditExitCode(result.report, result.crashed);
      } finally {
        progress.stop();
      }
    });

  program
    .command('compare')
    .description(
      'exit 1 when CURRENT regressed against BASE: a worse claim verdict, a sentinel no longer caught, or any number (metric, margin, interval, key result, figure point, discrepancy) moved more than its rule allows',
    )
    .argument('<BASE>', 'baseline report.json')
    .argument('<CURRENT>', 'current report.json')
    .option(
      '--stability <FILE>',
      "stability.json whose seed spread judges the numbers that move with the seed (default: the committed baseline of BASE's budget, reports/baseline/stability-BUDGET.json)",
    )
    .option('--json', 'print one JSON object on stdout')
    .action((basePath: string, currentPath: string, o: { json?: boolean; stability?: string }) => {
      const base = readReport(basePath, 'BASE');
      const current = readReport(currentPath, 'CURRENT');
      const stabilityPath = o.stability ?? committedStabilityPath(base.provenance.budget);
      const spreads =
        stabilityPath && (o.stability !== undefined || existsSync(stabilityPath))
          ? new SpreadTable(readStabilityFile(stabilityPath, '--stability'))
          : null;
      const cmp = compareReports(base, current, { spreads });
      printResult(
        {
          base: basePath,
          current: currentPath,
          stability: spreads ? stabilityPath : null,
          regressions: cmp.regressions,
          notes: cmp.notes,
          judged: cmp.judged,
          regressed: cmp.regressions.length > 0,
        },
        o.json,
        () =>
          [
            cmp.regressions.length ? `${cmp.regressions.length} regression(s):` : 'no regressions',
            ...cmp.regressions.map((r) => `  ✗ ${r}`),
            ...cmp.notes.map((n) => `  · ${n}`),
          ].join('\n'),
      );
      process.exitCode = cmp.regressions.length > 0 ? 1 : 0;
    });

  program
    .command('merge')
    .description('recombine the reports (or stability files) of shards 1/n … n/n into those of the unsharded run')
    .argument('<OUT>', 'where to write the merged report, X.json (X.md and X.html are written beside it)')
    .argument('<SHARD...>', 'the shard reports (report.json files)')
    .option('--json', 'print the merged report as one JSON object on stdout')
    .action(async (out: string, shardPaths: string[], o: { json?: boolean }) => {
      if (!out.endsWith('.json')) throw new UsageError(`OUT must be a .json path (got ${out})`);
      if (shardPaths.length > 0 && isStabilityFile(shardPaths[0])) {
        const files = shardPaths.map((path) => ({ path, file: readStabilityFile(path, 'SHARD') }));
        const why = stabilityMergeProblem(files);
        if (why !== null) throw new UsageError(`SHARD: ${why}`);
        const merged = mergeStabilityFiles(
          files.map((f) => f.file),
          registry.claims,
        );
        await writeStabilityFiles(out, merged);
        printResult(
          merged.summary,
          o.json,
          () =>
            `merged ${files.length} stability shards into ${out}${merged.partial ? ' (still partial: some units are missing)' : ''}`,
        );
        process.exitCode = merged.partial ? 1 : stabilityExitCode(merged.summary);
        return;
      }
      const shards = shardPaths.map((path) => ({ path, report: readReport(path, 'SHARD') }));
      const problem = mergeProblem(shards);
      if (problem !== null) throw new UsageError(`SHARD: ${problem}`);
      const merged = mergeShardReports(
        shards.map((s) => s.report),
        registry.claims,
      );
      await writeReportFiles(out, merged);
      printResult(
        merged,
        o.json,
        () =>
          `merged ${shards.length} shards into ${out}${merged.partial ? ' (still partial: some units are missing)' : ''}`,
      );
      process.exitCode = merged.partial ? 1 : auditExitCode(merged, []);
    });
}
