/** `rankcheck fact1`: Fact 1's error for one setting, exact or sampled. */
import type { Command } from 'commander';
import {
  fact1Exact,
  fact1HasClosedForm,
  fact1MonteCarlo,
  type Fact1Exact,
  type Fact1MonteCarlo,
} from '../../theory/fact1-run.js';
import { withInterrupt } from '../interrupt.js';
import type { ContextDistribution } from '../../core/sphere.js';
import { integerIn, numberIn, oneOf } from '../option-parsers.js';
import { UsageError } from '../usage-error.js';
import { precise, printResult } from '../print.js';
import { formatNumber } from '../../core/format.js';

interface Fact1Options {
  d: number;
  beta: number;
  n: number;
  dist: ContextDistribution;
  method: 'auto' | 'exact' | 'monte-carlo';
  samples: number;
  seed: number;
  level: number;
  workers?: number;
  json?: boolean;
}

export function registerFact1(program: Command): void {
  program
    .command('fact1')
    .description('Fact 1: the error of one full-rank head (QKᵀ = βI, V = I) against nearest neighbour')
    .requiredOption('--d <D>', 'embedding dimension (3 ≤ D ≤ 100000)', integerIn(3, 100000))
    .requiredOption('--beta <B>', 'inverse temperature β ≥ 0', numberIn(0, 1e15))
    .option('--n <N>', 'context length (N ≥ 1; N ≤ D for ortho)', integerIn(1, 100000), 2)
    .option('--dist <DIST>', 'context distribution: ortho (D_N) or unif', oneOf('ortho', 'unif'), 'ortho')
    .option(
      '--method <M>',
      'auto (exact when N = 2 and ortho), exact, or monte-carlo',
      oneOf('auto', 'exact', 'monte-carlo'),
      'auto',
    )
    .option('--samples <M>', 'Monte Carlo samples (M ≥ 2)', integerIn(2, 1e10), 100000)
    .option('--seed <S>', 'random seed (0 ≤ S < 2^53)', integerIn(0, Number.MAX_SAFE_INTEGER), 0)
    .option('--level <L>', 'confidence level of the interval (0 < L < 1)', numberIn(0, 0.999999999999, true), 0.95)
    .option('--workers <W>', 'worker threads for Monte Carlo (0: this thread; default: all cores)', integerIn(0, 64))
    .option('--json', 'print one JSON object on stdout')
    .action(fact1Action);
}

/** The action of `fact1`. */
async function fact1Action(opts: Fact1Options): Promise<void> {
  if (opts.dist === 'ortho' && opts.n > opts.d) {
    throw new UsageError(`--n must be ≤ --d for --dist ortho (got --n ${opts.n}, --d ${opts.d})`);
  }
  const closed = fact1HasClosedForm(opts.n, opts.dist);
  if (opts.method === 'exact' && !closed) {
    throw new UsageError('--method exact needs --n 2 and --dist ortho (the closed form is for D_2)');
  }
  if (closed && opts.method !== 'monte-carlo') {
    const r = fact1Exact(opts.d, opts.beta);
    printResult({ claim: 'fact-1', ...r }, opts.json, () => describeExact(r));
    return;
  }
  // Ctrl-C stops sampling and reports the samples that finished.
  const r = await withInterrupt(null, (signal) => fact1MonteCarlo({ ...opts, method: 'monte-carlo', signal }));
  printResult({ claim: 'fact-1', ...r }, opts.json, () => describeMonteCarlo(r));
  if (!r.complete) process.exitCode = 130;
}

/** Label–value rows with the values aligned. */
function rows(pairs: [string, string][]): string[] {
  const width = Math.max(...pairs.map(([label]) => label.length));
  return pairs.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`);
}

function describeExact(r: Fact1Exact): string {
  const pairs: [string, string][] = [
    [
      'error (exact, quadrature)',
      `${precise(r.error)}  (estimated absolute error ${formatNumber(r.errorEstimate, 2)})`,
    ],
  ];
  if (r.asymptote !== undefined) pairs.push(['large-β form c(d)·√d/β·(1 − κ(d−3)/β²)', precise(r.asymptote)]);
  pairs.push(['c(d) = lim β·error/√d', precise(r.largeBetaConstant)], ['trivial predictor (x₁+x₂)/2', '0.5']);
  return [
    `Fact 1 on D_2 (N = 2 orthonormal points), d = ${r.d}, β = ${precise(r.beta)}: one head with QKᵀ = βI, V = I`,
    ...rows(pairs),
  ].join('\n');
}

function describeMonteCarlo(r: Fact1MonteCarlo): string {
  const data = r.dist === 'ortho' ? `D_${r.n} (orthonormal points)` : `unif (N = ${r.n} i.i.d. points)`;
  const pairs: [string, string][] = [
    ['error (Monte Carlo)', precise(r.error)],
    [`${Math.round(r.level * 1e6) / 1e4}% interval`, `[${precise(r.ci[0])}, ${precise(r.ci[1])}]`],
    [
      'samples, seed',
      `${r.samples}, ${r.seed}${r.complete ? '' : ' (interrupted: the estimate uses the samples that finished)'}`,
    ],
  ];
  if (r.exactError !== undefined) pairs.push(['exact value', precise(r.exactError)]);
  return [`Fact 1 on ${data}, d = ${r.d}, β = ${precise(r.beta)}: one head with QKᵀ = βI, V = I`, ...rows(pairs)].join(
    '\n',
  );
}
