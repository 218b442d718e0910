/**
 * `rankcheck experiment NAME`: trains the grid of one Section-7 experiment claim at a budget,
 * writing a checkpoint per finished setting (atomically) so that --resume skips it, and prints
 * every setting (mean, spread and interval over seeds, best seed) and the claim's verdict.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { render } from '../../core/format.js';
import { BUDGETS, type Budget } from '../../core/vocabulary.js';
import { describeMse, settingKey, settingLabel, type Setting, type SettingResult } from '../../experiments/settings.js';
import { withInterrupt } from '../interrupt.js';
import { integerIn, oneOf } from '../option-parsers.js';
import { printResult } from '../print.js';
import type { Registry } from '../../audit/registry.js';
import { UsageError } from '../usage-error.js';
import { experimentName } from '../../experiments/experiment-def.js';
import { SEEDINGS, type Seeding } from '../../experiments/train-spec.js';
import { TRAINERS, preferTrainer, preferredTrainer, type TrainerName } from '../../training/trainer-state.js';
import { parseShard } from '../inputs.js';

interface ExperimentOptions {
  budget: Budget;
  seed: number;
  seeding: Seeding;
  trainer?: TrainerName;
  shard?: string;
  out?: string;
  resume?: boolean;
  workers?: number;
  json?: boolean;
}

interface Checkpoint {
  key: string;
  budget: Budget;
  seed: number;
  /** Absent in checkpoints written before the paper's seeding existed: independent. */
  seeding?: Seeding;
  /** Absent: tfjs (the reference trainer). */
  trainer?: TrainerName;
  backend: string | null;
  result: SettingResult;
}

/** The checkpoints in `dir` that belong to this grid, budget and seed, by setting key. */
function readCheckpoints(
  dir: string,
  grid: Setting[],
  budget: Budget,
  seed: number,
  seeding: Seeding,
  trainer: TrainerName,
): { known: Map<string, SettingResult>; backend: string | null } {
  const known = new Map<string, SettingResult>();
  let backend: string | null = null;
  if (!existsSync(dir)) return { known, backend };
  const keys = new Set(grid.map(settingKey));
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.json'))) {
    let c: Checkpoint;
    try {
      c = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Checkpoint;
    } catch {
      continue; // a torn or foreign file is not a finished setting
    }
    if (
      keys.has(c.key) &&
      c.budget === budget &&
      c.seed === seed &&
      (c.seeding ?? 'independent') === seeding &&
      (c.trainer ?? 'tfjs') === trainer &&
      c.result
    ) {
      known.set(c.key, c.result);
      backend ??= c.backend;
    }
  }
  return { known, backend };
}

/** The JSON form of a setting (the fields `--json` documents). */
function jsonRow(r: SettingResult) {
  return {
    task: r.task,
    layers: r.layers,
    copies: r.copies,
    heads: r.heads,
    rank: r.rank,
    n: r.n,
    d: r.d,
    positional: r.positional,
    seeds: r.seeds,
    mse: r.mse,
    bestSeed: r.bestSeed,
    runs: r.runs.map((x) => ({ seed: x.seed, mse: x.mse })),
  };
}

export function registerExperiment(program: Command, registry: Registry): void {
  const names = registry.experiments.map((e) => `${experimentName(e)}${e.about ? ` (${e.about})` : ''}`).join(', ');
  program
    .command('experiment')
    .description(`train and score one Section-7 experiment (${names}); a checkpoint per finished setting`)
    .argument('<NAME>', 'the experiment')
    .option('--budget <B>', `${BUDGETS.join(', ')}`, oneOf(...BUDGETS), 'quick')
    .option(
      '--seed <S>',
      'root of the training seeds (seed S trains seeds 1000·S + 1 …, as verify --seed S does)',
      integerIn(0, 2 ** 31 - 1),
      0,
    )
    .option(
      '--seeding <S>',
      'independent (each seed its own initialisation and data) or paper (as the released code: one initialisation, seed 613, for every run; data seeds 1000·S + 0 … with 7 loader streams each, seeded data seed + worker)',
      oneOf(...SEEDINGS),
      'independent',
    )
    .option(
      '--trainer <T>',
      'fused (the whole step in WebAssembly) or tfjs (the reference; equal to float32 tolerance); default RANKCHECK_TRAINER, else fused',
      oneOf(...TRAINERS),
    )
    .option('--shard <i/n>', 'train only every n-th setting starting with the i-th')
    .option('--out <DIR>', 'checkpoint directory (default reports/experiments/NAME-BUDGET-seedS)')
    .option('--resume', 'skip the settings whose checkpoints are in --out')
    .option('--workers <W>', 'worker threads for the trainings (0: this thread; default: the cores)', integerIn(0, 64))
    .option('--json', 'print one JSON object on stdout')
    .action((name: string, o: ExperimentOptions) => experimentAction(name, o, registry));
}

/** The action of `experiment`. */
async function experimentAction(name: string, o: ExperimentOptions, registry: Registry): Promise<void> {
  const exp = registry.experiments.find((e) => experimentName(e) === name);
  if (!exp)
    throw new UsageError(
      `NAME: unknown experiment "${name}" (expected one of ${registry.experiments.map(experimentName).join(', ')})`,
    );
  if (o.trainer !== undefined) preferTrainer(o.trainer);
  const trainer = preferredTrainer();
  const shard = parseShard(o.shard);
  const all = exp.grid(o.budget);
  if (all.length === 0) throw new UsageError(`--budget: the ${name} experiment has no ${o.budget} grid`);
  const grid = shard ? all.filter((_, k) => k % shard.count === shard.index - 1) : all;
  const outDir =
    o.out ??
    join(
      'reports',
      'experiments',
      `${name}-${o.budget}-seed${o.seed}${o.seeding === 'paper' ? '-paper-seeding' : ''}${trainer === 'tfjs' ? '-tfjs' : ''}`,
    );
  const { known, backend: checkpointBackend } = o.resume
    ? readCheckpoints(outDir, all, o.budget, o.seed, o.seeding, trainer)
    : { known: new Map<string, SettingResult>(), backend: null };
  const { runGrid } = await import('../../experiments/runs.js');
  const { currentBackend } = await import('../../training/backend.js');
  {
    let finished = 0;
    process.stderr.write(
      `experiment ${name}: ${grid.length} setting(s) at budget ${o.budget}${known.size ? `, ${[...known.keys()].filter((k) => grid.some((s) => settingKey(s) === k)).length} from checkpoints` : ''}\n`,
    );
    const out = await withInterrupt('stopping; finished settings are kept in their checkpoints', (signal) =>
      runGrid(grid, {
        root: o.seed,
        seeding: o.seeding,
        workers: o.workers,
        signal,
        known,
        onSetting: (s, r) => {
          finished++;
          if (!known.has(settingKey(s)))
            writeFileAtomic(
              join(outDir, `${settingKey(s)}.json`),
              `${JSON.stringify({ key: settingKey(s), budget: o.budget, seed: o.seed, seeding: o.seeding, ...(trainer === 'fused' ? { trainer } : {}), backend: currentBackend(), result: r } satisfies Checkpoint)}\n`,
            );
          process.stderr.write(`  [${finished}/${grid.length}] ${settingLabel(s)}: MSE ${render(describeMse(r))}\n`);
        },
      }),
    );
    const whole = out.complete && grid.length === all.length;
    const decided = whole ? exp.verdict(out.results, o.budget) : null;
    // Nothing trained when every setting came from checkpoints: the backend is theirs.
    const backend = out.backend ?? currentBackend() ?? checkpointBackend;
    const summary = {
      claim: name,
      budget: o.budget,
      backend,
      trainer,
      seed: o.seed,
      seeding: o.seeding,
      shard: shard ? `${shard.index}/${shard.count}` : null,
      complete: out.complete,
      results: out.results.map(jsonRow),
      verdict: decided?.verdict ?? null,
      summary: decided ? render(decided.summary) : null,
    };
    printResult(summary, o.json, () => experimentText(summary, out.results, outDir));
    process.exitCode = !out.complete ? 130 : decided?.verdict === 'violated' ? 1 : 0;
  }
}

/** What `experiment` prints: a line per setting, the verdict or why there is none, where the checkpoints are. */
function experimentText(
  e: {
    claim: string;
    budget: Budget;
    seed: number;
    seeding: Seeding;
    backend: string | null;
    trainer: TrainerName;
    shard: string | null;
    complete: boolean;
    verdict: string | null;
    summary: string | null;
  },
  results: readonly SettingResult[],
  outDir: string,
): string {
  return [
    `experiment ${e.claim} — budget ${e.budget}, seed ${e.seed}, ${e.seeding} seeding, backend ${e.backend}, ${e.trainer} trainer${e.shard ? `, shard ${e.shard}` : ''}`,
    ...results.map(
      (r) =>
        `  ${r.task === 'icl' ? 'ICL ' : ''}L = ${r.layers}, c = ${r.copies}, H = ${r.heads} (rank ${r.rank}), N = ${r.n}, d = ${r.d}${r.positional !== 'none' ? `, ${r.positional}` : ''}: ${render(describeMse(r))}`,
    ),
    e.verdict !== null
      ? `  verdict: ${e.verdict}${e.summary !== null ? ` — ${e.summary}` : ''}`
      : `  verdict: not decided (${e.complete ? 'a shard holds only part of the grid: run again without --shard, with --resume and the same --out, to combine' : 'interrupted'})`,
    `  checkpoints: ${outDir}`,
  ].join('\n');
}
