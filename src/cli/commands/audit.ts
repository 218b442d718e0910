/** `rankcheck list`, `verify`, `compare`, `merge`: the audit of every registered claim. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { CLAIMS, claimById } from '../../claims/registry.js';
import { BUDGETS, type Budget, type Claim } from '../../claims/types.js';
import { unitsFor } from '../../claims/units.js';
import { assembleReport, unitResultsOf } from '../../report/assemble.js';
import { runAudit, writeReportFiles } from '../../report/audit.js';
import { compareReports } from '../../report/compare.js';
import { validateReport, type Report } from '../../report/schema.js';
import { integerIn, oneOf } from '../option-parsers.js';
import { printResult } from '../print.js';
import { UsageError } from '../usage-error.js';

function readReport(path: string, what: string): Report {
  if (!existsSync(path)) throw new UsageError(`${what}: no such file ${path}`);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`${what}: ${path} is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  try {
    return validateReport(data);
  } catch (e) {
    throw new UsageError(`${what}: ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function selectClaims(ids: string[] | undefined): Claim[] {
  if (!ids || ids.length === 0) return [...CLAIMS];
  const wanted = ids.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  for (const id of wanted) if (!claimById(id)) throw new UsageError(`--claim: unknown claim "${id}" (see rankcheck list)`);
  // Report order is the registry's, whatever the order on the command line.
  return CLAIMS.filter((c) => wanted.includes(c.id));
}

export function parseShard(text: string | undefined): { index: number; count: number } | null {
  if (text === undefined) return null;
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new UsageError(`--shard must look like i/n, e.g. 2/8 (got "${text}")`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (!(count >= 1 && index >= 1 && index <= count)) throw new UsageError(`--shard i/n needs 1 ≤ i ≤ n (got ${text})`);
  return { index, count };
}

/** Exit code of a finished audit: 1 when a claim is violated, a sentinel missed or a check crashed. */
function auditExitCode(report: Report, crashed: string[]): number {
  const violated = report.claims.some((c) => c.verdict === 'violated');
  const missed = report.sensitivity.some((s) => !s.caught);
  return violated || missed || crashed.length > 0 ? 1 : 0;
}

function summaryText(report: Report, outDir: string, crashed: string[], interrupted: boolean): string {
  const lines = [`rankcheck verify — budget ${report.provenance.budget}, seed ${report.provenance.seed}${report.provenance.shard ? `, shard ${report.provenance.shard.index}/${report.provenance.shard.count}` : ''}`];
  const width = Math.max(...report.claims.map((c) => c.id.length));
  for (const c of report.claims) lines.push(`  ${c.id.padEnd(width)}  ${c.verdict.padEnd(12)}  ${c.keyResult ? `${c.keyResult.label}: ${c.keyResult.text}` : (c.notRunReason ?? '')}`);
  const missed = report.sensitivity.filter((s) => !s.caught);
  lines.push(`  sentinels caught: ${report.sensitivity.length - missed.length}/${report.sensitivity.length}${missed.length ? ` — MISSED: ${missed.map((s) => `${s.claim}/${s.sentinel}@${s.check}`).join(', ')}` : ''}`);
  if (crashed.length) lines.push(`  crashed: ${crashed.join(', ')}`);
  if (interrupted) lines.push(`  interrupted: ${report.completedUnits.length} units kept; continue with: rankcheck verify --resume ${outDir}`);
  lines.push(`  report: ${join(outDir, 'report.html')} (also report.md, report.json)`);
  return lines.join('\n');
}

export function registerAudit(program: Command): void {
  program
    .command('list')
    .description('the registered claims and what each budget runs')
    .option('--json', 'print one JSON object on stdout')
    .action((o: { json?: boolean }) => {
      const claims = CLAIMS.map((c) => ({
        id: c.id,
        title: c.title,
        paperRef: c.paperRef,
        reconstructed: c.reconstructed,
        notRunReason: c.notRunReason ?? null,
        checks: c.checks.map((k) => ({ name: k.name, kind: k.kind, description: k.description, budgets: k.sizes })),
        sentinels: c.sentinels.map((s) => ({ name: s.name, check: s.check, description: s.description })),
        figures: c.figures.map((f) => ({ id: f.id, title: f.title, budgets: f.budgets })),
        units: Object.fromEntries(BUDGETS.map((b) => [b, unitsFor([c], b, 0).length])),
      }));
      printResult({ claims }, o.json, () =>
        claims
          .map((c) =>
            [
              `${c.id} — ${c.title} (${c.paperRef})${c.notRunReason ? `\n  not run: ${c.notRunReason}` : ''}`,
              ...c.checks.map((k) => `  check ${k.name} [${k.kind}]: ${BUDGETS.map((b) => `${b}: ${k.budgets[b] ?? '—'}`).join('; ')}`),
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
    .option('--json', 'print the report as one JSON object on stdout')
    .action(async (o: { claim?: string[]; budget: Budget; seed: number; out: string; shard?: string; resume?: string; json?: boolean }) => {
      const shard = parseShard(o.shard);
      let claims = selectClaims(o.claim);
      let resume: Report | null = null;
      let outDir = o.out;
      let budget = o.budget;
      let seed = o.seed;
      if (o.resume !== undefined) {
        resume = readReport(join(o.resume, 'report.json'), '--resume');
        // A resumed run is the same run: its budget, seed, claims and shard come from the report.
        budget = resume.provenance.budget;
        seed = resume.provenance.seed;
        claims = CLAIMS.filter((c) => resume!.claims.some((x) => x.id === c.id));
        outDir = o.resume;
        const rs = resume.provenance.shard;
        if ((rs === null) !== (shard === null) || (rs && shard && (rs.index !== shard.index || rs.count !== shard.count))) {
          throw new UsageError(`--resume: the report in ${o.resume} is for shard ${rs ? `${rs.index}/${rs.count}` : 'none'}; give the same --shard`);
        }
      }
      const abort = new AbortController();
      const onSigint = () => {
        if (abort.signal.aborted) process.exit(130); // a second Ctrl-C: stop at once
        process.stderr.write('\nrankcheck: stopping after the unit in progress (Ctrl-C again to quit now)\n');
        abort.abort();
      };
      process.on('SIGINT', onSigint);
      const bar = process.stderr.isTTY ? new cliProgress.SingleBar({ format: 'verify {bar} {value}/{total} units | {unit}', stream: process.stderr, hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic) : null;
      try {
        const result = await runAudit({
          claims,
          budget,
          seed,
          outDir,
          shard,
          resume,
          signal: abort.signal,
          onUnitStart: (unit, index, total) => {
            if (bar && index === 0) bar.start(total, 0, { unit: unit.id });
            bar?.update(index, { unit: unit.id });
          },
          onUnitDone: (_r, index) => bar?.update(index + 1),
        });
        bar?.stop();
        printResult(result.report, o.json, () => summaryText(result.report, outDir, result.crashed, result.interrupted));
        process.exitCode = result.interrupted ? 130 : auditExitCode(result.report, result.crashed);
      } finally {
        bar?.stop();
        process.removeListener('SIGINT', onSigint);
      }
    });

  program
    .command('compare')
    .description('exit 1 when CURRENT regressed against BASE: a worse claim verdict, a sentinel no longer caught, an exact metric moved')
    .argument('<BASE>', 'baseline report.json')
    .argument('<CURRENT>', 'current report.json')
    .option('--json', 'print one JSON object on stdout')
    .action((basePath: string, currentPath: string, o: { json?: boolean }) => {
      const cmp = compareReports(readReport(basePath, 'BASE'), readReport(currentPath, 'CURRENT'));
      printResult({ base: basePath, current: currentPath, regressions: cmp.regressions, notes: cmp.notes, regressed: cmp.regressions.length > 0 }, o.json, () =>
        [cmp.regressions.length ? `${cmp.regressions.length} regression(s):` : 'no regressions', ...cmp.regressions.map((r) => `  ✗ ${r}`), ...cmp.notes.map((n) => `  · ${n}`)].join('\n'),
      );
      process.exitCode = cmp.regressions.length > 0 ? 1 : 0;
    });

  program
    .command('merge')
    .description('recombine the reports of shards 1/n … n/n into the report of the unsharded run')
    .argument('<OUT>', 'where to write the merged report, X.json (X.md and X.html are written beside it)')
    .argument('<SHARD...>', 'the shard reports (report.json files)')
    .option('--json', 'print the merged report as one JSON object on stdout')
    .action(async (out: string, shardPaths: string[], o: { json?: boolean }) => {
      const shards = shardPaths.map((p) => readReport(p, 'SHARD'));
      const first = shards[0];
      const count = first.provenance.shard?.count;
      for (const [i, s] of shards.entries()) {
        if (!s.provenance.shard) throw new UsageError(`SHARD ${shardPaths[i]} is not a shard report`);
        if (s.provenance.shard.count !== count) throw new UsageError(`SHARD ${shardPaths[i]} is of ${s.provenance.shard.count} shards, not ${count}`);
        if (s.provenance.seed !== first.provenance.seed || s.provenance.budget !== first.provenance.budget) throw new UsageError(`SHARD ${shardPaths[i]} has another seed or budget than ${shardPaths[0]}`);
        if (s.tool.version !== first.tool.version) throw new UsageError(`SHARD ${shardPaths[i]} was made by rankcheck ${s.tool.version}, not ${first.tool.version}`);
      }
      const indices = shards.map((s) => s.provenance.shard!.index).sort((a, b) => a - b);
      const expectedIdx = Array.from({ length: count ?? 0 }, (_, k) => k + 1);
      if (indices.join(',') !== expectedIdx.join(',')) throw new UsageError(`SHARD: need each of shards 1…${count} exactly once (got ${indices.join(', ')})`);
      const claims = CLAIMS.filter((c) => first.claims.some((x) => x.id === c.id));
      const { budget, seed } = first.provenance;
      const merged = assembleReport({
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
      });
      if (!out.endsWith('.json')) throw new UsageError(`OUT must be a .json path (got ${out})`);
      await writeReportFiles(out, merged);
      printResult(merged, o.json, () => `merged ${shards.length} shards into ${out}${merged.partial ? ' (still partial: some units are missing)' : ''}`);
      process.exitCode = merged.partial ? 1 : auditExitCode(merged, []);
    });
}
