/** `rankcheck search`: try to train a rank-r, H-head attention layer below the Theorem-2 bound. */
import type { Command } from 'commander';
import { formatNumber } from '../../core/format.js';
import type { Budget } from '../../core/vocabulary.js';
import { BACKENDS, type BackendName } from '../../training/backend-state.js';
import { SEARCH_BUDGETS, SEARCH_LEVEL } from '../../search/budgets.js';
import type { RestartResult } from '../../search/search.js';
import { VARIANTS, type Variant } from '../../search/variants.js';
import { integerIn, oneOf } from '../option-parsers.js';
import { withInterrupt } from '../interrupt.js';
import { precise, printResult } from '../print.js';
import { UsageError } from '../usage-error.js';

interface SearchOptions {
  d: number;
  r: number;
  heads: number;
  budget: Budget;
  seed: number;
  variant: Variant;
  backend?: BackendName;
  workers?: number;
  json?: boolean;
}

const ci = (r: RestartResult | null) => (r ? [r.ci[0], r.ci[1]] : null);

export function registerSearch(program: Command): void {
  program
    .command('search')
    .description(
      'Theorem 2: train rank-r, H-head attention (several restarts) and try to get below the bound; a full-rank head trained the same way is the control',
    )
    .requiredOption('--d <D>', 'embedding dimension (3 ≤ D ≤ 256)', integerIn(3, 256))
    .requiredOption('--r <R>', 'rank of each head (1 ≤ R < D)', integerIn(1, 255))
    .requiredOption('--heads <H>', 'number of heads (1 ≤ H ≤ 1024)', integerIn(1, 1024))
    .option(
      '--budget <B>',
      'quick, standard or paper (restarts, steps, batch, scoring samples)',
      oneOf<Budget>('quick', 'standard', 'paper'),
      'quick',
    )
    .option('--seed <S>', 'seed', integerIn(0, 2 ** 31 - 1), 0)
    .option('--variant <V>', `${VARIANTS.join(', ')}`, oneOf(...VARIANTS), 'plain')
    .option(
      '--backend <NAME>',
      `tfjs backend: ${BACKENDS.join(', ')} (default: the first that loads)`,
      oneOf(...BACKENDS),
    )
    .option('--workers <W>', 'worker threads for restarts (0: this thread)', integerIn(0, 64))
    .option('--json', 'print one JSON object on stdout')
    .action(searchAction);
}

/** The action of `search`. */
async function searchAction(o: SearchOptions): Promise<void> {
  if (o.r >= o.d)
    throw new UsageError(`--r must be below --d: a rank-d model is the full-rank control (got --r ${o.r}, --d ${o.d})`);
  // tfjs is loaded only by the commands that train.
  const { useBackend } = await import('../../training/backend.js');
  const backend = await useBackend(o.backend).catch((e: unknown) => {
    throw new UsageError(`--backend: ${e instanceof Error ? e.message : String(e)}`);
  });
  const { res, witnesses } = await trainAndProbe(o, backend);
  printResult(searchJson(o, res, witnesses), o.json, () => searchText(o, res, witnesses));
  process.exitCode = !res.complete ? 130 : res.counterexample ? 1 : 0;
}

/** The search at the budget's size, then witness inputs where the best low-rank model fails and the control does not. */
async function trainAndProbe(o: SearchOptions, backend: BackendName) {
  const { searchForCounterexample } = await import('../../search/search.js');
  const { findWitnesses } = await import('../../search/witness.js');
  const b = SEARCH_BUDGETS[o.budget];
  const res = await withInterrupt(null, (signal) =>
    searchForCounterexample(
      {
        d: o.d,
        r: o.r,
        heads: o.heads,
        variant: o.variant,
        restarts: b.restarts,
        steps: b.steps,
        batch: b.batch,
        evalSamples: b.evalSamples,
        level: SEARCH_LEVEL,
        seed: o.seed,
        backend,
      },
      {
        workers: o.workers,
        signal,
        onRestart: (done, total) =>
          process.stderr.isTTY && process.stderr.write(`\rsearch: ${done}/${total} trainings finished`),
      },
    ),
  );
  if (process.stderr.isTTY) process.stderr.write('\n');
  const witnesses =
    res.best && res.fullRank
      ? findWitnesses(res.best.weights, res.fullRank.weights, {
          starts: 256,
          steps: 40,
          stepSize: 0.05,
          seed: o.seed,
          count: 3,
          controlTolerance: 0.05,
        })
      : [];
  return { res, witnesses };
}

type Searched = Awaited<ReturnType<typeof trainAndProbe>>;

/** The --json object of `search`. */
function searchJson(o: SearchOptions, res: Searched['res'], witnesses: Searched['witnesses']) {
  return {
    claim: 'theorem-2',
    d: o.d,
    r: o.r,
    heads: o.heads,
    variant: o.variant,
    budget: o.budget,
    lowerBound: res.lowerBound,
    bestError: res.best?.error ?? null,
    bestErrorCi: ci(res.best),
    level: SEARCH_LEVEL,
    restarts: res.restarts.length,
    fullRankError: res.fullRank?.error ?? null,
    fullRankErrorCi: ci(res.fullRank),
    backend: res.backend,
    complete: res.complete,
    counterexample: res.counterexample
      ? {
          restart: res.counterexample.index,
          learningRate: res.counterexample.learningRate,
          initScale: res.counterexample.initScale,
          error: res.counterexample.error,
          ci: res.counterexample.ci,
          seed: o.seed,
        }
      : null,
    trainings: res.restarts.map((r) => ({
      restart: r.index,
      learningRate: r.learningRate,
      initScale: r.initScale,
      trainLoss: r.trainLoss,
      error: r.error,
      ci: r.ci,
      seconds: r.milliseconds / 1000,
    })),
    witnesses,
  };
}

/** What `search` prints. */
function searchText(o: SearchOptions, res: Searched['res'], witnesses: Searched['witnesses']): string {
  return [
    `Theorem 2 search, d = ${o.d}, r = ${o.r}, H = ${o.heads} (${o.variant}), budget ${o.budget}, backend ${res.backend}:`,
    `  lower bound LB(d, r, H)     ${precise(res.lowerBound)}`,
    `  best of ${res.restarts.length} trained models   ${precise(res.best?.error ?? NaN)}  interval [${(res.best?.ci ?? [NaN, NaN]).map((x) => formatNumber(x, 6)).join(', ')}] at level 1 − 1e-6`,
    `  full-rank control (r = d, H = 1)  ${precise(res.fullRank?.error ?? NaN)}`,
    res.counterexample
      ? `  COUNTEREXAMPLE: restart ${res.counterexample.index} is below the bound`
      : '  no counterexample: every trained model stays above the bound',
    witnesses.length
      ? `  witness input: low-rank error ${formatNumber(witnesses[0].lowRankError, 4)}, full-rank error ${formatNumber(witnesses[0].fullRankError, 3)}`
      : '',
    res.complete ? '' : '  interrupted: only the trainings that finished are reported',
  ]
    .filter((l) => l !== '')
    .join('\n');
}
