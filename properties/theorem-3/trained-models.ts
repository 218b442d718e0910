/**
 * Theorem 3's trained models: rank-r models fine-tuned from the construction cut to their rank,
 * beside a full-rank control fine-tuned from the whole construction, each against our lower bound
 * for its rank and head count (the check low-rank-models-above-threshold).
 */
import { fixed, interval, join, text, type Template } from '../../src/core/format.js';
import { getOrCompute } from '../../src/core/memo.js';
import { runScopedCache } from '../../src/core/run-cache.js';
import { BUDGETS, defineCheck, type Budget, type CheckDef, type Verdict } from '../../src/core/vocabulary.js';
import {
  hasScoreRank,
  headScoreRanks,
  joinScoreRanks,
  SCORE_RANK_TOLERANCE,
  scoreRanksText,
  type ScoreRanks,
} from '../../src/model/score-rank.js';
import { parityConstructionError, parityConstructionLayer } from '../../src/theory/parity-construction.js';
import { THEOREM3_ERROR } from './construction.js';
import { lowerBoundFor } from './lower-bound.js';

interface TrainedGrid {
  cases: { d: number; r: number }[];
  restarts: number;
  steps: number;
}

/*
 * Every model starts at the construction, cut to its rank (constructionStart), and is fine-tuned;
 * a full-rank control starts at the whole construction and is fine-tuned the same way. Trained
 * from a random start, this training does not learn the target at any rank at these sizes: at
 * standard, 2 restarts × 1500 steps left every model, full rank included, at error 0.50–0.51,
 * twenty times 1/40, so a rank that silently became full passed unseen. From the construction the
 * control ends below 1/40 and a rank-r model can only stay above it by lacking rank.
 */
export const TRAINED: Record<Budget, TrainedGrid> = {
  quick: { cases: [{ d: 4, r: 2 }], restarts: 1, steps: 300 },
  standard: {
    cases: [
      { d: 4, r: 1 },
      { d: 6, r: 3 },
    ],
    restarts: 1,
    steps: 500,
  },
  paper: {
    cases: [
      { d: 4, r: 1 },
      { d: 4, r: 2 },
      { d: 4, r: 3 },
      { d: 6, r: 2 },
      { d: 6, r: 3 },
      { d: 6, r: 4 },
      { d: 8, r: 4 },
    ],
    restarts: 4,
    steps: 20000,
  },
};
const TRAIN_BATCH = 256;
const EVAL_SAMPLES = 20_000;
const TRAIN_LEVEL = 0.999;

export interface TrainedRow {
  d: number;
  r: number;
  heads: number;
  error: number;
  ci: [number, number];
  valueNorm: number;
  /** The numerical ranks of the heads' Q_h K_hᵀ, read from the weights. */
  scoreRanks: ScoreRanks;
  label: string;
  /** Our lower bound (low-rank-bound) on any rank-r layer with this many heads; absent for full rank. */
  lowerBound?: number;
}

interface TrainedModels {
  rows: TrainedRow[];
  fullRank: TrainedRow[];
  backend: string;
}

// Trained once per (budget, seed, rank fault) in a run: the check and the figure share them.
const trainedMemo = runScopedCache<string, Promise<TrainedModels>>();

/** The trained models; with `rankBecomesFull` (the sentinel) the rank-r models are trained at rank d, still labelled r. */
export function trainedModels(budget: Budget, seed: number, rankBecomesFull = false) {
  return getOrCompute(trainedMemo, `${budget}/${seed}/${rankBecomesFull}`, async () => {
    const { trainParityModels } = await import('../../src/search/parity-models.js');
    const g = TRAINED[budget];
    const rows: TrainedRow[] = [];
    const fullRank: TrainedRow[] = [];
    let backend = '';
    for (const [i, c] of g.cases.entries()) {
      const common = {
        d: c.d,
        restarts: g.restarts,
        steps: g.steps,
        batch: TRAIN_BATCH,
        evalSamples: EVAL_SAMPLES,
        level: TRAIN_LEVEL,
        seed: seed + i,
      };
      const res = await trainParityModels({ ...common, r: rankBecomesFull ? c.d : c.r });
      backend = res.backend;
      rows.push(...res.models.map((m) => ({ ...m, r: c.r, label: `trained rank ${c.r}` })));
      if (!rankBecomesFull && !g.cases.slice(0, i).some((p) => p.d === c.d)) {
        const full = await trainParityModels({ ...common, r: c.d });
        fullRank.push(...full.models.map((m) => ({ ...m, label: 'trained full rank' })));
      }
    }
    return { rows, fullRank, backend };
  });
}

/**
 * How much larger than the construction's d(2d² + 1) a model's d·H·max‖V‖² may be and still count
 * as small. Fine-tuning from the construction grows it by about 1% (132.2–133.6 against 132 at
 * d = 4, seeds 0–3), so without slack every model started there would drop out of the check. Any
 * constant factor keeps the reading polynomial, against the theorem's exp(c(d − r)).
 */
export const VALUE_NORM_SLACK = 2;

/** The model's whole interval lies below our lower bound for its (d, r, H). */
const belowBound = (m: TrainedRow) => m.lowerBound !== undefined && m.ci[1] < m.lowerBound;

const withLowerBound = (m: TrainedRow): TrainedRow => ({ ...m, lowerBound: lowerBoundFor(m.d, m.r, m.heads) });

/** Models whose value matrices are small: d·H·max‖V‖² ≤ VALUE_NORM_SLACK · d(2d² + 1). */
const smallNorm = (rows: readonly TrainedRow[]) =>
  rows.filter((m) => m.valueNorm <= VALUE_NORM_SLACK * m.d * (2 * m.d * m.d + 1));

/**
 * Which side of the reading the models are on. A small-norm rank-r model whose whole interval is
 * below 1/40 contradicts it; one that straddles 1/40 leaves it open; and so does a full-rank
 * control that the same training did not keep below 1/40, for then rank r staying above says
 * nothing about rank. With no control given, only the rank-r models decide.
 */
export function trainedVerdict(rows: readonly TrainedRow[], fullRank: readonly TrainedRow[]): Verdict {
  // A model whose score matrices have another rank than its label is not rank-r evidence: the premise fails.
  if ([...rows, ...fullRank].some((m) => !hasScoreRank(m.scoreRanks, m.r))) return 'violated';
  // Below our bound for its rank and head count: the bound, or the model's rank, is wrong.
  if (rows.some(belowBound)) return 'violated';
  const small = smallNorm(rows);
  if (small.some((m) => m.ci[1] < THEOREM3_ERROR)) return 'violated';
  if (small.some((m) => m.ci[0] < THEOREM3_ERROR)) return 'inconclusive';
  if (fullRank.some((m) => !(m.ci[1] < THEOREM3_ERROR))) return 'inconclusive';
  return 'holds';
}

export const lowRankAboveThreshold = defineCheck({
  name: 'low-rank-models-above-threshold',
  kind: 'search',
  description: `Started at the full-rank construction cut to rank r < d (2d² + 1 heads with score biases) and fine-tuned with Adam on the target, rank-r models stay above 1/40 (interval at level 0.999) whenever their d·H·max‖V_h‖² is at most ${VALUE_NORM_SLACK}× the construction’s, while a full-rank control started at the whole construction and fine-tuned the same way ends below 1/40 (else inconclusive). Every model’s score matrices Q_hK_hᵀ, read from its weights, must have numerical rank r, its label (singular values above ${SCORE_RANK_TOLERANCE.toExponential(0)}·σ₁), else violated: the evidence is not about rank r. No rank-r model’s interval may lie wholly below our lower bound for its rank and head count (low-rank-bound), else violated: the bound or the model’s rank is wrong. Reports each model’s error, its bound, value-matrix size and score rank.`,
  sizes: Object.fromEntries(
    BUDGETS.map((b) => [
      b,
      `${TRAINED[b].cases.length} setting(s) × ${TRAINED[b].restarts} restart(s) of ${TRAINED[b].steps} steps, and a full-rank control per d`,
    ]),
  ) as CheckDef['sizes'],
  margin:
    'error units: the smaller of (lowest lower interval end of a small-norm rank-r model − 1/40) and (1/40 − highest upper interval end of a full-rank control)',
  sentinels: {
    'construction-as-low-rank': 'the full-rank construction reported as a rank-2 model',
    'rank-becomes-full': 'rank-r models that silently train at full rank (d) while labelled rank r',
  },
  async run(ctx, sentinel) {
    const trainedSet = await trainedModels(ctx.budget, ctx.claimSeed);
    const { rows: trained, backend } =
      sentinel === 'rank-becomes-full' ? await trainedModels(ctx.budget, ctx.claimSeed, true) : trainedSet;
    const fullRank = trainedSet.fullRank;
    const rows = trained.map(withLowerBound);
    if (sentinel === 'construction-as-low-rank') {
      const c = parityConstructionError(4);
      const layer = parityConstructionLayer(4);
      rows.push({
        d: 4,
        r: 2,
        heads: c.heads,
        error: c.value,
        ci: [c.value, c.value],
        valueNorm: c.valueNorm,
        scoreRanks: joinScoreRanks(layer.spec.heads.map((h) => headScoreRanks(h.Q, h.K, 1, 4, 4))),
        label: 'construction reported as rank 2',
        lowerBound: lowerBoundFor(4, 2, c.heads),
      });
    }
    const verdict = trainedVerdict(rows, fullRank);
    const small = smallNorm(rows);
    const ends = [...small.map((m) => m.ci[0] - THEOREM3_ERROR), ...fullRank.map((m) => THEOREM3_ERROR - m.ci[1])];
    const margin = ends.length ? Math.min(...ends) : null;
    const metrics: Record<string, number> = {};
    for (const [i, m] of rows.entries()) {
      metrics[`error_${i}_d${m.d}_r${m.r}`] = m.error;
      metrics[`valueNorm_${i}_d${m.d}_r${m.r}`] = m.valueNorm;
      metrics[`scoreRankMax_${i}_d${m.d}_r${m.r}`] = m.scoreRanks.max;
      if (m.lowerBound !== undefined) metrics[`lowerBound_${i}_d${m.d}_r${m.r}`] = m.lowerBound;
    }
    for (const [i, m] of fullRank.entries()) metrics[`fullRankTrainedError_${i}_d${m.d}`] = m.error;
    const f4 = (x: number | null) => fixed(x, 4);
    const describe = (m: TrainedRow): Template =>
      text`(d, r, H) = (${m.d}, ${m.r}, ${m.heads}): error ${f4(m.error)} ${interval(m.ci[0], m.ci[1], f4)}${m.lowerBound === undefined ? '' : text` (our bound ${f4(m.lowerBound)})`}, d·H·max‖V‖² = ${fixed(m.valueNorm, 1)}, score rank ${scoreRanksText(m.scoreRanks)}`;
    return {
      verdict,
      summary: text`from the construction cut to rank r: ${join(rows.map(describe), '; ')}; full-rank control from the whole construction: ${join(fullRank.map(describe), '; ')}; construction at d = 4: ${f4(parityConstructionError(4).value)} (backend ${backend})`,
      metrics,
      margin,
      level: TRAIN_LEVEL,
      witnesses: rows.filter((m) => m.ci[1] < THEOREM3_ERROR || belowBound(m)),
    };
  },
});
