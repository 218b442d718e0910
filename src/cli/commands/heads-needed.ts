/** `rankcheck heads-needed`: the least number of rank-r heads the Theorem-2 bound allows to reach D_2 error eps. */
import type { Command } from 'commander';
import { formatNumber } from '../../core/format.js';
import { headsNeeded } from '../../theory/rank-bound.js';
import { integerIn, numberIn, requireRankAtMostD } from '../option-parsers.js';
import { precise, printResult } from '../print.js';
import { UsageError } from '../usage-error.js';

interface HeadsNeededFlags {
  d: number;
  r: number;
  eps: number;
  json?: boolean;
}

export function registerHeadsNeeded(program: Command): void {
  program
    .command('heads-needed')
    .description('Theorem 2: the least number of rank-r heads the bound allows to reach D_2 error eps')
    .requiredOption('--d <D>', 'embedding dimension (3 ≤ D ≤ 4096)', integerIn(3, 4096))
    .requiredOption('--r <R>', 'rank of each head (1 ≤ R ≤ D)', integerIn(1, 4096))
    .requiredOption('--eps <E>', 'target error (0 < E < 0.5)', numberIn(0, 0.5, true))
    .option('--json', 'print one JSON object on stdout')
    .action(headsNeededAction);
}

/** The action of `heads-needed`. */
function headsNeededAction(o: HeadsNeededFlags): void {
  requireRankAtMostD(o.d, o.r);
  if (o.eps >= 0.5) throw new UsageError(`--eps must be below 0.5, the error of the trivial predictor (got ${o.eps})`);
  const h = headsNeeded(o.d, o.r, o.eps);
  const out = {
    claim: 'theorem-2',
    d: o.d,
    r: o.r,
    eps: o.eps,
    log10MinHeads: h.log10MinHeads,
    minHeads: h.minHeads,
    lowerBoundAtMinHeads: h.lowerBoundAtMinHeads,
  };
  printResult(out, o.json, () =>
    [
      `Theorem 2, d = ${o.d}, rank r = ${o.r}: reaching D_2 error ${o.eps} needs at least`,
      `  H = ${h.minHeads ?? `10^${formatNumber(h.log10MinHeads, 8)}`} heads  (log10 H = ${formatNumber(h.log10MinHeads, 8)}; the bound there is ${precise(h.lowerBoundAtMinHeads)})`,
    ].join('\n'),
  );
}
