/** `rankcheck figure rank1-heads`: the data of the paper's appendix figure of random rank-1 heads. */
import type { Command } from 'commander';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { fixed, render } from '../../core/format.js';
import { HEAD_DISTRIBUTIONS, type HeadDistribution } from '../../theory/head-distributions.js';
import { headGrid, rank1Figure, type Rank1FigureRow } from '../../theory/rank1-figure.js';
import { integerIn, oneOf } from '../option-parsers.js';
import { printResult } from '../print.js';
import { UsageError } from '../usage-error.js';

interface FigureFlags {
  d: string;
  maxHeads: number;
  trials: number;
  seed: number;
  distribution: HeadDistribution;
  out?: string;
  json?: boolean;
}

export function registerFigure(program: Command): void {
  const figure = program.command('figure').description('data behind the paper’s figures');
  figure
    .command('rank1-heads')
    .description(
      "the paper's appendix figure: exact error of H random rank-1 hardmax heads against H, with LB(d, 1, H)",
    )
    .option('--d <LIST>', 'comma-separated dimensions', '8,16,32,64')
    .option('--max-heads <H>', 'largest head count (grid 1, 2, 4, …, H; ≤ 16384)', integerIn(1, 16384), 1024)
    .option('--trials <T>', 'independent draws of heads per dimension', integerIn(1, 100), 3)
    .option('--seed <S>', 'seed', integerIn(0, Number.MAX_SAFE_INTEGER), 0)
    .option(
      '--distribution <DIST>',
      `how heads are drawn: ${HEAD_DISTRIBUTIONS.join(', ')} (paper: as the released script draws them)`,
      oneOf(...HEAD_DISTRIBUTIONS),
      'paper',
    )
    .option('--out <FILE>', 'also write the rows as JSON to FILE (rewritten atomically after each dimension and trial)')
    .option('--json', 'print one JSON object on stdout')
    .action(rank1HeadsFigure);
}

/** The action of `figure rank1-heads`. */
function rank1HeadsFigure(o: FigureFlags): void {
  const ds = o.d.split(',').map((s) => s.trim());
  if (ds.some((s) => !/^\d+$/.test(s) || Number(s) < 2 || Number(s) > 4096))
    throw new UsageError(`--d must list integers between 2 and 4096 (got "${o.d}")`);
  const dims = ds.map(Number);
  const meta = {
    claim: 'theorem-2',
    figure: 'rank1-heads',
    ds: dims,
    maxHeads: o.maxHeads,
    trials: o.trials,
    seed: o.seed,
    distribution: o.distribution,
  };
  const save = (rows: Rank1FigureRow[]) =>
    o.out &&
    writeFileAtomic(
      o.out,
      `${JSON.stringify({ ...meta, complete: rows.length === dims.length * o.trials * headGrid(o.maxHeads).length, rows })}\n`,
    );
  const rows = rank1Figure({
    ds: dims,
    maxHeads: o.maxHeads,
    trials: o.trials,
    seed: o.seed,
    distribution: o.distribution,
    onRows: save,
  });
  printResult({ ...meta, rows }, o.json, () => describeFigure(rows, dims, headGrid(o.maxHeads)));
}

function describeFigure(rows: Rank1FigureRow[], ds: number[], grid: number[]): string {
  const lines = [
    'Random rank-1 hardmax heads, optimally weighted: exact D_2 error (mean over trials) / LB(d, 1, H)',
    '',
  ];
  lines.push(['H'.padStart(6), ...ds.map((d) => `d = ${d}`.padStart(20))].join(''));
  for (const H of grid) {
    const cells = ds.map((d) => {
      const rs = rows.filter((r) => r.d === d && r.heads === H);
      const mean = rs.reduce((s, r) => s + r.error, 0) / rs.length;
      return `${render(fixed(mean, 4))} / ${render(fixed(rs[0].lowerBound, 4))}`.padStart(20);
    });
    lines.push([String(H).padStart(6), ...cells].join(''));
  }
  return lines.join('\n');
}
