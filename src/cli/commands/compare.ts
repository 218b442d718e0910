/** `rankcheck compare`: exit 1 when CURRENT regressed against BASE. */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { compareReports, type Comparison } from '../../report/compare.js';
import { comparisonPower, type ClaimPower } from '../../report/compare-power.js';
import { SpreadTable } from '../../report/metric-spread.js';
import { committedStabilityPath, readReport, readStabilityFile } from '../inputs.js';
import { printResult } from '../print.js';

interface CompareFlags {
  json?: boolean;
  stability?: string;
  exact?: boolean;
  strict?: boolean;
  power?: boolean;
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
    .option('--strict', 'a number that moved within its allowance (a change) fails too')
    .option('--power', 'also state, per claim, the smallest relative move each seed-dependent number would flag')
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
  const power = o.power ? comparisonPower(cmp) : null;
  const failed = cmp.regressions.length > 0 || (o.strict === true && cmp.changes.length > 0);
  printResult(
    {
      base: basePath,
      current: currentPath,
      stability: spreads ? stabilityPath : null,
      regressions: cmp.regressions,
      changes: cmp.changes,
      notes: cmp.notes,
      judged: cmp.judged,
      numbers: cmp.numbers,
      ...(power ? { power } : {}),
      regressed: cmp.regressions.length > 0,
      failed,
    },
    o.json,
    () => compareText(cmp, power, o.strict === true),
  );
  process.exitCode = failed ? 1 : 0;
}

/** How small a move of the key result is flagged: a share of it, or any move beyond rounding. */
function keyPower(p: ClaimPower): string {
  if (p.keyResultRule === 'seed-spread') return p.keyResult === null ? '—' : `${(100 * p.keyResult).toPrecision(2)}%`;
  if (p.keyResultRule === 'same-inputs' || p.keyResultRule === 'exact')
    return `any move beyond rounding (${p.keyResultRule})`;
  return p.keyResultRule ?? '—';
}

/** What `compare` prints: regressions, then changes, notes, and the power table when asked. */
function compareText(cmp: Comparison, power: ClaimPower[] | null, strict: boolean): string {
  const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toPrecision(2)}%`);
  return [
    cmp.regressions.length ? `${cmp.regressions.length} regression(s):` : 'no regressions',
    ...cmp.regressions.map((r) => `  ✗ ${r}`),
    ...(cmp.changes.length
      ? [`${cmp.changes.length} change(s) within their allowance${strict ? ' (--strict: these fail)' : ''}:`]
      : []),
    ...cmp.changes.map((c) => `  ~ ${c}`),
    ...cmp.notes.map((n) => `  · ${n}`),
    ...(power
      ? [
          'power: smallest relative move flagged (seed-dependent numbers: median, worst; key result)',
          ...power.map(
            (p) =>
              `  ${p.claim.padEnd(16)} ${String(p.seedDependent).padStart(4)} by spread, ${String(p.exact).padStart(4)} exact; median ${pct(p.median)}, worst ${pct(p.worst)}; key result ${keyPower(p)}`,
          ),
        ]
      : []),
  ].join('\n');
}
