/**
 * Independent trainings as jobs a pool of worker threads can take: one-layer attention on nearest
 * neighbour (train.ts) or two-layer attention with concatenated positions (two-layer.ts), each
 * scored exactly on fresh samples from Rng.fromSeed(seed).splitNamed('eval'). A job depends only
 * on its fields, so the results are the same whichever thread runs it.
 */
import { compiledModule, defaultWorkers, runChunks } from '../core/parallel.js';
import { Rng } from '../core/rng.js';
import { meanInterval, momentsOf } from '../core/stats.js';
import { sampleErrors } from '../model/monte-carlo.js';
import { joinScoreRanks, type ScoreRanks } from '../model/score-rank.js';
import { useBackend } from '../training/backend.js';
import type { TrainConfig } from './train-config.js';
import { train } from './train.js';
import { toFloat64Layer, weightsScoreRanks, type ExportedWeights, type ModelShape } from './trainable-attention.js';
import { trainTwoLayer, twoLayerErrors, type TwoLayerShape } from './two-layer.js';

/** A training's settings (as train.ts takes them) and its scoring. */
interface JobCommon extends Pick<TrainConfig, 'dist' | 'steps' | 'batch' | 'learningRate' | 'initScale' | 'seed'> {
  evalSamples: number;
  /** Level of the evaluation interval (normal, errors are bounded). */
  level: number;
}

export type TrainingJob = ({ kind: 'one-layer'; shape: ModelShape } | { kind: 'two-layer'; shape: TwoLayerShape }) &
  JobCommon;

export interface JobResult {
  /** Exact mean squared error on fresh samples, and its interval. */
  error: number;
  ci: [number, number];
  /** The numerical ranks of the heads' Q_h K_hᵀ over every layer, read from the trained weights. */
  scoreRanks: ScoreRanks;
}

/** Trains and scores one job (in whichever thread calls it). */
export async function runTrainingJob(job: TrainingJob): Promise<JobResult> {
  await useBackend();
  const cfg = {
    dist: job.dist,
    steps: job.steps,
    batch: job.batch,
    learningRate: job.learningRate,
    initScale: job.initScale,
    seed: job.seed,
  };
  const evalRng = Rng.fromSeed(job.seed).splitNamed('eval');
  let errors: Float64Array;
  let layers: ExportedWeights[];
  if (job.kind === 'one-layer') {
    const weights = train({ ...cfg, shape: job.shape }).weights;
    errors = sampleErrors(
      toFloat64Layer(weights),
      { target: { kind: 'nearest' }, dist: job.dist, n: job.shape.n },
      evalRng,
      job.evalSamples,
    );
    layers = [weights];
  } else {
    const weights = trainTwoLayer({ ...cfg, shape: job.shape });
    errors = twoLayerErrors(weights, evalRng, job.dist, job.evalSamples);
    layers = weights.layers;
  }
  const m = momentsOf(errors);
  const iv = meanInterval(m, job.level, 'normal', { lowerLimit: 0 });
  return { error: m.mean, ci: [iv.lo, iv.hi], scoreRanks: joinScoreRanks(layers.map(weightsScoreRanks)) };
}

/** The job `jobs[k]` (what the worker threads serve). */
export function runListedJob(jobs: TrainingJob[], k: number): Promise<JobResult> {
  return runTrainingJob(jobs[k]);
}

/** Runs every job, on worker threads when there are several; results in job order. */
export async function runTrainingJobs(
  jobs: TrainingJob[],
  options: { workers?: number; signal?: AbortSignal } = {},
): Promise<JobResult[]> {
  const workers = jobs.length < 2 ? 0 : Math.min(options.workers ?? defaultWorkers(), jobs.length);
  const run = await runChunks(
    jobs.length,
    jobs,
    runListedJob,
    workers > 0 ? compiledModule(import.meta.url, 'job-worker') : null,
    { workers, signal: options.signal },
  );
  if (!run.complete) throw new Error('interrupted before every training finished');
  return run.results;
}
