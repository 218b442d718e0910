/**
 * Conjecture 6's training runs: the grid of two-layer low-rank models and full-rank heads trained at
 * each budget, over several training seeds, on worker threads; trained once per budget and seed in a run.
 */
import { getOrCompute } from '../../src/core/memo.js';
import { runScopedCache } from '../../src/core/run-cache.js';
import { Rng } from '../../src/core/rng.js';
import type { ContextDistribution } from '../../src/core/sphere.js';
import { joinScoreRanks, type ScoreRanks } from '../../src/model/score-rank.js';
import type { Budget } from '../../src/core/vocabulary.js';
import type { JobResult, TrainingJob } from '../../src/search/jobs.js';
import { LEVEL, type Measured } from './measured.js';

export interface TrainedGrid {
  d: number;
  ns: number[];
  ranks: number[];
  heads: number;
  dists: ContextDistribution[];
  steps: number;
  evalSamples: number;
  /** Training seeds per model. */
  seeds: number;
}

export const TRAINED: Record<Budget, TrainedGrid> = {
  quick: { d: 8, ns: [2, 8], ranks: [1], heads: 4, dists: ['unif'], steps: 250, evalSamples: 10_000, seeds: 4 },
  // The verdict compares N = 2 with the longest context only; a middle N would be for the figure alone.
  standard: { d: 8, ns: [2, 8], ranks: [1, 2], heads: 4, dists: ['unif'], steps: 500, evalSamples: 20_000, seeds: 5 },

  paper: {
    d: 32,
    ns: [2, 4, 8, 16, 32],
    ranks: [1, 2, 4],
    heads: 8,
    dists: ['unif', 'ortho'],
    steps: 10_000,
    evalSamples: 50_000,
    seeds: 5,
  },
};
const TRAIN_BATCH = 256;
/**
 * The full-rank head trains this many times longer than the two-layer models: it is the reference
 * a low-rank model's degradation is measured against, so it must be trained until it stops
 * degrading with N itself (one full-rank head can fit every N, Fact 1). At quick's 250 steps it
 * went from 0.139 at N = 2 to 0.233 at N = 8 (8 seeds), and its seed-to-seed tail left the growth
 * of the gap uncertain (interval [0.047, 0.210] at root seed 0). At 4 × 250 steps: 0.044 → 0.075,
 * growth 0.189 [0.181, 0.197] over quick's 4 seeds; at standard (4 × 500) 0.028 → 0.049.
 */
export const FULL_RANK_STEPS_FACTOR = 4;
const TRAIN_RATE = 0.01;

/** The trained models of one (distribution, rank) series: errors per N, one entry per training seed. */
export interface TrainedSeries {
  dist: ContextDistribution;
  rank: number;
  ns: number[];
  /** [N index][seed index]: the two-layer low-rank model's and the full-rank head's error. */
  lowRank: Measured[][];
  fullRank: Measured[][];
  /** The numerical ranks of the heads' score matrices over the series' two-layer models, read from their weights. */
  lowRankScoreRanks: ScoreRanks;
}

const trainedMemo = runScopedCache<string, Promise<{ series: TrainedSeries[]; backend: string }>>();

/**
 * Trains every model of the budget's grid at its `seeds` seeds (seed k from Rng.fromSeed(seed).split(k)),
 * on worker threads; memoised within a run. With `secretRank` (a sentinel) each two-layer model
 * trains at one rank more than its label.
 */
export function trainedSeries(budget: Budget, seed: number, signal?: AbortSignal, secretRank = false) {
  return getOrCompute(trainedMemo, `${budget}/${seed}/${secretRank}`, async () => {
    const { runTrainingJobs } = await import('../../src/search/jobs.js');
    const { useBackend } = await import('../../src/training/backend.js');
    const backend = await useBackend();
    const g = TRAINED[budget];
    const roots = Array.from({ length: g.seeds }, (_, k) => Rng.fromSeed(seed).split(k));
    const done = await runTrainingJobs(trainingJobs(g, roots, secretRank), { signal });
    return { series: seriesOf(g, roots, done), backend };
  });
}

/** The grid's jobs, in the order seriesOf reads their results. */
function trainingJobs(g: TrainedGrid, roots: readonly Rng[], secretRank: boolean): TrainingJob[] {
  const common = {
    steps: g.steps,
    batch: TRAIN_BATCH,
    learningRate: TRAIN_RATE,
    initScale: 1,
    evalSamples: g.evalSamples,
    level: LEVEL,
  };
  const jobs: TrainingJob[] = [];
  // One trained full-rank head per N and seed (the reference every rank is compared with), then the two-layer models.
  for (const dist of g.dists) {
    for (const n of g.ns)
      for (const root of roots)
        jobs.push({
          kind: 'one-layer',
          shape: { d: g.d, r: g.d, heads: 1, n, variant: 'plain' },
          dist,
          seed: root.splitNamed(`full/${dist}/${n}`).nextUint32(),
          ...common,
          steps: FULL_RANK_STEPS_FACTOR * g.steps,
        });
    for (const rank of g.ranks)
      for (const n of g.ns)
        for (const root of roots)
          jobs.push({
            kind: 'two-layer',
            shape: { d: g.d, n, r: secretRank ? rank + 1 : rank, heads: g.heads },
            dist,
            seed: root.splitNamed(`two-layer/${dist}/${rank}/${n}`).nextUint32(),
            ...common,
          });
  }
  return jobs;
}

/** The results of trainingJobs(g, roots), grouped into one series per distribution and rank. */
function seriesOf(g: TrainedGrid, roots: readonly Rng[], done: readonly JobResult[]): TrainedSeries[] {
  let at = 0;
  let ranks: ScoreRanks[] = [];
  const take = (): Measured[][] =>
    g.ns.map((n) =>
      roots.map(() => {
        const m = done[at++];
        ranks.push(m.scoreRanks);
        return { n, error: m.error, ci: m.ci };
      }),
    );
  const series: TrainedSeries[] = [];
  for (const dist of g.dists) {
    const fullRank = take();
    for (const rank of g.ranks) {
      ranks = [];
      const lowRank = take();
      series.push({ dist, rank, ns: g.ns, lowRank, fullRank, lowRankScoreRanks: joinScoreRanks(ranks) });
    }
  }
  return series;
}
