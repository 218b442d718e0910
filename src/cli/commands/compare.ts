/** `rankcheck compare`: exit 1 when CURRENT regressed against BASE. */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { compareReports } from '../../report/compare.js';
import { SpreadTable } from '../../report/metric-spread.js';
import { committedStabilityPath, readReport, readStabilityFile } from '../inputs.js';
import { printResult } from '../print.js';

interface CompareFlags {
  json?: boolean;
  stability?: string;
  exact?: boolean;
}

export function registerCompare(program: Command): void {
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
    .option(
      '--exact',
      'every number must reproduce to rounding (1e-9 of max(1, |x|)): for changes meant to keep every result bit for bit; needs the same seed and budget',
    )
    .option('--json', 'print one JSON object on stdout')
    .action(compare);
}

/** The action of `compare`. */
function compare(basePath: string, currentPath: string, o: CompareFlags): void {
  const base = readReport(basePath, 'BASE');
  const current = readReport(currentPath, 'CURRENT');
  const stabilityPath = o.stability ?? committedStabilityPath(base.provenance.budget);
  const spreads =
    o.stability !== undefined || existsSync(stabilityPath)
      ? new SpreadTable(readStabilityFile(stabilityPath, '--stability'))
      : null;
  const cmp = compareReports(base, current, { spreads, exact: o.exact === true });
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
}
