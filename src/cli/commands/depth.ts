/** `rankcheck depth`: Theorem 5's two-layer majority-vote network for one setting, simulated. */
import type { Command } from 'commander';
import { depthRun, type DepthRun } from '../../theory/depth-run.js';
import { withInterrupt } from '../interrupt.js';
import type { PositionalEncoding } from '../../model/depth-network.js';
import { integerIn, numberIn, oneOf } from '../option-parsers.js';
import { precise, printResult } from '../print.js';
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
    .action(depthAction);
}

/** The action of `depth`. */
async function depthAction(opts: DepthOptions): Promise<void> {
  if (opts.alpha !== undefined && opts.positional !== 'additive')
    throw new UsageError('--alpha applies to --positional additive only');
  // Ctrl-C stops sampling and reports the samples that finished.
  const r = await withInterrupt(null, (signal) => depthRun({ ...opts, signal }));
  printResult({ claim: 'theorem-5', ...r }, opts.json, () => describe(r));
  if (!r.complete) process.exitCode = 130;
}

function describe(r: DepthRun): string {
  const pos =
    r.positional === 'concat' ? 'concatenated positions' : `additive positions (α = ${precise(r.alpha ?? 0)})`;
  const lines = [
    `Theorem 5 on D_2, d = ${r.d}: two layers, ${r.heads} rank-1 heads voting in layer 1 + one reading the vote, ${pos}`,
    `  error (simulated, ${r.samples} samples)   ${precise(r.error)}  95% interval [${precise(r.ci[0])}, ${precise(r.ci[1])}]`,
  ];
  if (r.expectedError !== null) lines.push(`  expected over head draws (exact)    ${precise(r.expectedError)}`);
  lines.push(
    `  one layer, rank 1, ${r.heads + 1} heads: LB      ${precise(r.oneLayerLowerBound)}`,
    '  trivial predictor (x₁+x₂)/2         0.5',
  );
  if (!r.complete) lines.push('  (interrupted: the samples that finished)');
  return lines.join('\n');
}
