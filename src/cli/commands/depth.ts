/** `rankcheck depth`: Theorem 5's two-layer majority-vote network for one setting, simulated. */
import type { Command } from 'commander';
import { depthRun, type DepthRun } from '../../claims/theorem-5.js';
import type { PositionalEncoding } from '../../model/depth-network.js';
import { integerIn, numberIn, oneOf } from '../option-parsers.js';
import { formatNumber, printResult } from '../print.js';
import { UsageError } from '../usage-error.js';

interface DepthOptions {
  d: number;
  heads: number;
  positional: PositionalEncoding;
  alpha?: number;
  samples: number;
  seed: number;
  json?: boolean;
}

export function registerDepth(program: Command): void {
  program
    .command('depth')
    .description('Theorem 5: D_2 error of two layers of rank-1 heads (majority vote) against the one-layer bound')
    .requiredOption('--d <D>', 'embedding dimension (3 ≤ D ≤ 4096)', integerIn(3, 4096))
    .requiredOption('--heads <H>', 'layer-1 heads (1 ≤ H ≤ 1000000)', integerIn(1, 1_000_000))
    .option('--positional <P>', 'positional encoding: concat or additive', oneOf('concat', 'additive'), 'concat')
    .option('--alpha <A>', 'scale of the additive positions (0 < A ≤ 1e6; additive only)', numberIn(0, 1e6, true))
    .option('--samples <M>', 'D_2 samples (2 ≤ M ≤ 1e9)', integerIn(2, 1e9), 20000)
    .option('--seed <S>', 'random seed (0 ≤ S < 2^53)', integerIn(0, Number.MAX_SAFE_INTEGER), 0)
    .option('--json', 'print one JSON object on stdout')
    .action(async (opts: DepthOptions) => {
      if (opts.alpha !== undefined && opts.positional !== 'additive') throw new UsageError('--alpha applies to --positional additive only');
      const abort = new AbortController();
      const onSigint = () => abort.abort();
      process.once('SIGINT', onSigint);
      try {
        const r = await depthRun({ ...opts, signal: abort.signal });
        printResult(r, opts.json, () => describe(r));
        if (!r.complete) process.exitCode = 130;
      } finally {
        process.removeListener('SIGINT', onSigint);
      }
    });
}

function describe(r: DepthRun): string {
  const pos = r.positional === 'concat' ? 'concatenated positions' : `additive positions (α = ${formatNumber(r.alpha ?? 0)})`;
  const lines = [
    `Theorem 5 on D_2, d = ${r.d}: two layers, ${r.heads} rank-1 heads voting in layer 1 + one reading the vote, ${pos}`,
    `  error (simulated, ${r.samples} samples)   ${formatNumber(r.error)}  95% interval [${formatNumber(r.ci[0])}, ${formatNumber(r.ci[1])}]`,
  ];
  if (r.expectedError !== null) lines.push(`  expected over head draws (exact)    ${formatNumber(r.expectedError)}`);
  lines.push(`  one layer, rank 1, ${r.heads + 1} heads: LB      ${formatNumber(r.oneLayerLowerBound)}`, '  trivial predictor (x₁+x₂)/2         0.5');
  if (!r.complete) lines.push('  (interrupted: the samples that finished)');
  return lines.join('\n');
}
