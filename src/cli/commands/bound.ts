/** `rankcheck bound`: the Theorem-2 lower bound LB(d, r, H) on the D_2 error of any rank-r, H-head attention layer. */
import type { Command } from 'commander';
import { formatNumber } from '../../core/format.js';
import { rankLowerBound } from '../../theory/rank-bound.js';
import { headCount, integerIn, requireRankAtMostD, type HeadCount } from '../option-parsers.js';
import { precise, printResult } from '../print.js';

interface BoundFlags {
  d: number;
  r: number;
  heads: HeadCount;
  json?: boolean;
}

export function registerBound(program: Command): void {
  program
    .command('bound')
    .description('Theorem 2: the lower bound LB(d, r, H) on the D_2 error of any rank-r, H-head attention layer')
    .requiredOption('--d <D>', 'embedding dimension (3 ≤ D ≤ 4096)', integerIn(3, 4096))
    .requiredOption('--r <R>', 'rank of each head (1 ≤ R ≤ D)', integerIn(1, 4096))
    .requiredOption('--heads <H>', 'number of heads: an integer, or 1e300-style, any size', headCount)
    .option('--json', 'print one JSON object on stdout')
    .action(bound);
}

/** The action of `bound`. */
function bound(o: BoundFlags): void {
  requireRankAtMostD(o.d, o.r);
  const b = rankLowerBound(o.d, o.r, o.heads.log10);
  const out = {
    claim: 'theorem-2',
    d: o.d,
    r: o.r,
    heads: o.heads.exact ?? o.heads.text,
    log10Heads: Number.isFinite(o.heads.log10) ? o.heads.log10 : null,
    lowerBound: b.value,
    firstUncapturedDegree: b.firstUncapturedDegree,
  };
  printResult(out, o.json, () =>
    [
      `Theorem 2 bound, d = ${o.d}, rank r = ${o.r}, H = ${o.heads.text} heads:`,
      `  every such generalized attention layer has D_2 error ≥ ${precise(b.value)}  (trivial predictor: 0.5)`,
      b.firstUncapturedDegree === null
        ? b.lnFirstUncapturedDegree === null
          ? '  (every harmonic degree can be captured: the bound is 0)'
          : `  (harmonic degrees from ≈ 10^${formatNumber(b.lnFirstUncapturedDegree / Math.LN10, 6)} on are not fully captured)`
        : `  (harmonic degrees from k* = ${b.firstUncapturedDegree} on are not fully captured)`,
    ].join('\n'),
  );
}
