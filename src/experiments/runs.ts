/**
 * Trained runs, memoised in-process by (setting, seed): every claim, check and sentinel that needs
 * the same model shares one training. A grid trains the (setting, seed) pairs it does not have yet
 * — on worker threads when there are several (each training is single-threaded, and the result
 * does not depend on where it ran) — and reports each setting as soon as all its seeds are done.
 */
import { compiledModule, defaultWorkers, runChunks } from '../core/parallel.js';
import { runScopedCache } from '../core/run-cache.js';
import { currentBackend, useBackend, type BackendName } from '../training/backend.js';
import { preferredTrainer } from '../training/trainer-state.js';
import { angleToIdentity } from './analysis.js';
import { evaluateTransformer } from './evaluate.js';
import {
  paperDataSeeds,
  summariseSetting,
  settingKey,
  trainingSeeds,
  type SeedResult,
  type Setting,
  type SettingResult,
} from './settings.js';
import { trainTransformer } from './train.js';
import type { Seeding } from './train-spec.js';
import { scoreMatrix, transformerScoreRanks, type TransformerWeights } from './weights.js';

export interface TrainedRun {
  result: SeedResult;
  weights: TransformerWeights;
}

export interface RunTask {
  setting: Setting;
  seed: number;
  /** Default 'independent'. */
  seeding?: Seeding;
}

// Trained runs of this run's settings and seeds: claims that share a setting (figure-1, figure-n,
// dimensions, learned-weights) train it once; emptied between runs.
const memo = runScopedCache<string, TrainedRun>();
const memoKey = (t: RunTask) => `${settingKey(t.setting)}#${t.seed}${t.seeding === 'paper' ? '#paper' : ''}`;

/** Trains seed `seed` of `setting` from scratch and scores it exactly on fresh sequences (no memo; runs in workers too). */
export async function trainAndScore(task: RunTask): Promise<TrainedRun> {
  await useBackend();
  const { setting, seed, seeding } = task;
  const { task: problem, arch, recipe } = setting;
  const trained = trainTransformer({
    task: problem,
    arch,
    steps: recipe.steps,
    batch: recipe.batch,
    learningRate: recipe.learningRate,
    seed,
    seeding,
    trainer: preferredTrainer(),
  });
  const ev = evaluateTransformer(trained.weights, problem, seed, recipe.evalSamples);
  const { width, copies, heads } = trained.weights.shape;
  const headAngles = Array.from({ length: copies * heads }, (_, g) =>
    angleToIdentity(scoreMatrix(trained.weights, 0, g), width, -1),
  );
  return {
    result: {
      seed,
      mse: ev.mse,
      ci: ev.ci,
      finalLoss: trained.finalLoss,
      seconds: trained.milliseconds / 1000,
      headAngles,
      scoreRanks: transformerScoreRanks(trained.weights),
    },
    weights: trained.weights,
  };
}

export interface GridOptions {
  /** Root of the training seeds (see trainingSeeds); the claims use 0. */
  root?: number;
  /** How the seeds seed the runs (default 'independent'; 'paper': data seeds root·1000 + 0 … from one initialisation). */
  seeding?: Seeding;
  /** Worker threads (0: this thread); default: the machine's parallelism. */
  workers?: number;
  signal?: AbortSignal;
  /** Results already known (e.g. from checkpoints), by settingKey: not trained again. */
  known?: Map<string, SettingResult>;
  /** Called once per setting when all its seeds are done (in completion order, known settings first). */
  onSetting?: (setting: Setting, result: SettingResult) => void;
  onProgress?: (trainingsDone: number, trainings: number) => void;
}

export interface GridOutcome {
  /** One entry per finished setting, in grid order. */
  results: SettingResult[];
  complete: boolean;
  backend: BackendName | null;
}

/** Runs every setting of `grid` (all its seeds); on abort, keeps the settings whose seeds all finished. */
export async function runGrid(grid: readonly Setting[], options: GridOptions = {}): Promise<GridOutcome> {
  const seeding = options.seeding ?? 'independent';
  const seedsOf = (s: Setting) =>
    seeding === 'paper' ? paperDataSeeds(options.root ?? 0, s.seeds) : trainingSeeds(options.root ?? 0, s.seeds);
  const done = new Map<number, SettingResult>();
  const settle = () => {
    for (const [i, s] of grid.entries()) {
      if (done.has(i)) continue;
      const known = options.known?.get(settingKey(s));
      const runs = known ? null : seedsOf(s).map((seed) => memo.get(memoKey({ setting: s, seed, seeding })));
      if (!known && runs!.some((r) => r === undefined)) continue;
      const result =
        known ??
        summariseSetting(
          s,
          runs!.map((r) => r!.result),
        );
      done.set(i, result);
      options.onSetting?.(s, result);
    }
  };
  settle();
  const tasks: RunTask[] = grid
    .filter((_, i) => !done.has(i))
    .flatMap((setting) => seedsOf(setting).map((seed) => ({ setting, seed, seeding })))
    .filter((t, k, all) => !memo.has(memoKey(t)) && all.findIndex((u) => memoKey(u) === memoKey(t)) === k);
  const workers = tasks.length < 2 ? 0 : Math.min(options.workers ?? defaultWorkers(), tasks.length);
  // Chosen here too (the workers make the same choice), so that checkpoints and reports can name it.
  if (tasks.length > 0) await useBackend();
  await trainTasks(tasks, workers, options, (index, run) => {
    memo.set(memoKey(tasks[index]), run);
    settle();
  });
  settle();
  const results = grid.flatMap((_, i) => (done.has(i) ? [done.get(i)!] : []));
  return { results, complete: results.length === grid.length, backend: currentBackend() };
}

/** Trains `tasks` (on `workers` threads, or this one), handing each finished run to onRun. */
async function trainTasks(
  tasks: RunTask[],
  workers: number,
  options: GridOptions,
  onRun: (index: number, run: TrainedRun) => void,
): Promise<void> {
  if (tasks.length === 0) return;
  await runChunks(
    tasks.length,
    tasks,
    (ts: RunTask[], i: number) => trainAndScore(ts[i]),
    workers > 0 ? compiledModule(import.meta.url, 'run-worker') : null,
    {
      workers,
      signal: options.signal,
      onProgress: (finished, total, index, result) => {
        onRun(index, result as TrainedRun);
        options.onProgress?.(finished, total);
      },
    },
  );
}
