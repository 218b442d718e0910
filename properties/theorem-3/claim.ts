/**
 * Theorem 3 (reconstructed target): 2d² + 1 full-rank heads reach error below 1/40 on a target
 * built from biased nearest neighbours with Gaussian queries, while rank-r attention stays above
 * 1/40 unless d·H·max_h ‖V_h‖² ≥ exp(c(d − r)). The construction is checked exactly and by
 * simulation; rank-r models fine-tuned from the construction cut to their rank are measured
 * (error and value-matrix size) beside a full-rank control fine-tuned from the whole
 * construction. The constant c is unknown to us, so the trained-model check tests a stronger,
 * falsifiable reading: no rank-r model reaches 1/40 with value matrices at most twice the
 * full-rank construction's.
 */
import { fixed, interval, join, sci, sig, text, type Template } from '../../src/core/format.js';
import { getOrCompute } from '../../src/core/memo.js';
import { runScopedCache } from '../../src/core/run-cache.js';
import {
  BUDGETS,
  defineCheck,
  type Budget,
  type CheckDef,
  type Claim,
  type FigureDef,
  type Verdict,
  onSideLane,
} from '../../src/core/vocabulary.js';
import {
  parityConstructionError,
  parityConstructionErrors,
  parityConstructionLayer,
  parityThresholds,
  type ParityPanels,
} from '../../src/theory/parity-construction.js';
import {
  hasScoreRank,
  headScoreRanks,
  joinScoreRanks,
  SCORE_RANK_TOLERANCE,
  scoreRanksText,
  type ScoreRanks,
} from '../../src/model/score-rank.js';
import { degree, logCapturedFraction } from '../../src/theory/harmonics.js';
import {
  degreeEnergies,
  type DegreeEnergies,
  parityHeadsNeeded,
  parityProfile,
  parityRankBound,
  parityValueSumNeeded,
  SINGLE_STEP,
  staircaseProfile,
} from '../../src/theory/parity-bound.js';
import { rankLowerBound } from '../../src/theory/rank-bound.js';
import { readReferenceData, worstRelativeDifference } from '../support/reference-data.js';
import { THEOREM3_PROPERTY_CHECKS } from './properties.js';

/** The theorem's error level. */
export const THEOREM3_ERROR = 1 / 40;

const CONSTRUCTION_DS: Record<Budget, number[]> = {
  quick: [3, 4, 6, 8],
  standard: [3, 4, 5, 6, 8, 10, 12],
  paper: [3, 4, 5, 6, 8, 10, 12, 16],
};

const constructionBelowThreshold = defineCheck({
  name: 'construction-below-threshold',
  kind: 'exact',
  description:
    'The full-rank construction with 2d² + 1 heads (one per threshold, β·δ = 40) has exact error below 1/40 at every tested d, with value-matrix size d·H·max‖V_h‖² = d(2d² + 1), polynomial in d.',
  sizes: Object.fromEntries(BUDGETS.map((b) => [b, `d ∈ {${CONSTRUCTION_DS[b].join(', ')}}`])) as CheckDef['sizes'],
  sentinels: {
    'half-the-heads': 'a construction with only d² + 1 heads for the 2d² + 1 thresholds, spread over the same range',
  },
  seedFree: true,
  run(ctx, sentinel) {
    const rows = CONSTRUCTION_DS[ctx.budget].map((d) => ({
      d,
      ...parityConstructionError(d, sentinel === 'half-the-heads' ? parityThresholds(d, d * d + 1) : undefined),
    }));
    const ok = rows.every((r) => r.value + r.errorEstimate < THEOREM3_ERROR);
    const metrics: Record<string, number> = {};
    for (const r of rows) {
      metrics[`error_d${r.d}`] = r.value;
      metrics[`valueNorm_d${r.d}`] = r.valueNorm;
    }
    return {
      verdict: ok ? 'holds' : 'violated',
      summary: join(
        rows.map((r) => text`d = ${r.d}: ${r.heads} heads, error ${sig(r.value, 4)}, d·H·max‖V‖² = ${r.valueNorm}`),
        '; ',
      ),
      metrics,
      tolerances: Object.fromEntries(rows.map((r) => [`error_d${r.d}`, 1e-8])),
      witnesses: rows.filter((r) => !(r.value + r.errorEstimate < THEOREM3_ERROR)),
    };
  },
});

interface ParityReference {
  values: { d: number; heads: number; error: string; errorEstimate: string }[];
  sentinel: { d: number; heads: number; error: string; errorEstimate: string };
}

/** Relative agreement the exact error must reach against the reference (its estimates are ≈ 1e-13 relative). */
const REFERENCE_TOLERANCE = 1e-9;

const exactVsReference = defineCheck({
  name: 'exact-vs-reference',
  kind: 'exact',
  description: `The construction’s exact error agrees to ${REFERENCE_TOLERANCE.toExponential(0)} relative with values computed independently with mpmath (tanh-sinh and Gauss–Legendre at 40 digits, scripts/reference/parity_construction_mpmath.py) for 3 ≤ d ≤ 16 and for the half-the-heads construction at d = 4; every quadrature error estimate bounds the actual error.`,
  sizes: Object.fromEntries(
    BUDGETS.map((b) => [b, 'd ∈ {3, 4, 5, 6, 8, 10, 12, 16} and one half-the-heads case']),
  ) as CheckDef['sizes'],
  sentinels: {
    'thresholds-only-panels': 'the quadrature with panels cut at the thresholds alone, the rule before 2026-12-04',
  },
  seedFree: true,
  async run(_ctx, sentinel) {
    const ref = readReferenceData<ParityReference>('parity-construction-reference');
    const panels: ParityPanels = sentinel === 'thresholds-only-panels' ? 'thresholds-only' : 'graded';
    const cases = [...ref.values, ref.sentinel];
    const errors = await parityConstructionErrors(cases, panels);
    const results = cases.map(({ d, heads, error }, i) => ({
      at: { d, heads },
      got: errors[i].value,
      estimate: errors[i].errorEstimate,
      reference: Number(error),
    }));
    const { worst, witness } = worstRelativeDifference(results);
    const notBounding = results.filter((r) => !(Math.abs(r.got - r.reference) <= r.estimate));
    const ok = worst < REFERENCE_TOLERANCE && notBounding.length === 0;
    return {
      verdict: ok ? 'holds' : 'violated',
      summary: text`worst relative difference ${sci(worst, 2)} over ${results.length} reference values; ${results.length - notBounding.length} of ${results.length} error estimates bound the actual error`,
      metrics: {
        values: results.length,
        worstRelativeError: worst,
        estimatesNotBounding: notBounding.length,
      },
      tolerances: { worstRelativeError: REFERENCE_TOLERANCE },
      witnesses: ok ? [] : [witness, ...notBounding],
    };
  },
});

const BOUND_DS: Record<Budget, number[]> = {
  quick: [4, 6, 8],
  standard: [4, 6, 8, 10],
  paper: [4, 6, 8, 10, 12],
};

/**
 * Theorem 2's nearest-neighbour profile run through the Theorem-3 machinery: (d, r, log10 H). Its
 * bound is known from Theorem 2's independent closed form (rank-bound.ts).
 */
const SINGLE_STEP_CASES = [
  { d: 4, r: 1, log10H: 0 },
  { d: 6, r: 3, log10H: 1 },
  { d: 8, r: 2, log10H: 1 },
  { d: 8, r: 4, log10H: 2 },
];
/** Degrees summed for the single step: its energy decays like k⁻², so the tail's slack is ≈ 1e-4 of the variance. */
const SINGLE_STEP_DEGREES = 4000;
/** Relative rounding allowance in the single-step comparison (both sides are sums of ≈ 10⁴ terms). */
const SINGLE_STEP_ROUNDING = 1e-9;

interface BoundRow {
  d: number;
  r: number;
  /** log10 of the least number of heads the bound allows at error 1/40. */
  log10Heads: number;
  /** log10 of the least Σ_h‖V_h‖ the bound allows at error 1/40. */
  log10ValueSum: number;
  /** The bound with as many heads as the full-rank construction (2d² + 1). */
  atConstructionHeads: number;
}

/** Successive differences of a sequence ordered by d − r = 1, 2, …; increasing differences mean at least exponential growth. */
const increments = (xs: readonly number[]) => xs.slice(1).map((x, i) => x - xs[i]);

/** True when the differences are positive and never shrink: log growth at least linear in d − r. */
const atLeastLinear = (xs: readonly number[]) => {
  const inc = increments(xs);
  return inc.length > 0 && inc[0] > 0 && inc.every((x) => x >= inc[0]);
};

const lowRankBound = defineCheck({
  name: 'low-rank-bound',
  kind: 'exact',
  description:
    'Our computable lower bound (proofs-notes/theorem-3.md) for every rank-r generalized attention layer on the target: the least number of heads H*(d, r), whatever the value matrices, and the least Σ_h‖V_h‖, whatever the number of heads, that error 1/40 needs. Holds when (1) the machinery, fed Theorem 2’s single step, gives Theorem 2’s independent bound within the slack its truncation allows; (2) at every tested d, log H* and log Σ‖V‖ grow at least linearly in d − r (increments positive and never shrinking), the first increment not shrinking with d, so H* ≥ 2·exp(c(d − r − 1)) with one c for every tested d; (3) with the construction’s 2d² + 1 heads, every rank r ≤ d/2 is held above 1/40.',
  sizes: Object.fromEntries(
    BUDGETS.map((b) => [
      b,
      `d ∈ {${BOUND_DS[b].join(', ')}}, every r < d; ${SINGLE_STEP_CASES.length} single-step cases`,
    ]),
  ) as CheckDef['sizes'],
  margin:
    'decades of heads: the smallest increment of log10 H* between neighbouring ranks (how far the growth is from stopping)',
  sentinels: {
    'monotone-staircase':
      'the same 2d² + 1 biased nearest neighbours summed with equal signs (a staircase, scaled to [0, 1]) instead of alternating ones',
    'wrong-sphere-weight': 'degree energies taken in the Gegenbauer weight of the sphere in R^(d−1) instead of R^d',
  },
  seedFree: true,
  run(ctx, sentinel) {
    // SENTINEL 'wrong-sphere-weight': the energies of the sphere one dimension down.
    const weightOf = (d: number) => (sentinel === 'wrong-sphere-weight' ? { weightDimension: d - 1 } : {});
    const single = SINGLE_STEP_CASES.map(({ d, r, log10H }) => {
      const e = degreeEnergies(d, SINGLE_STEP, { maxDegree: SINGLE_STEP_DEGREES, ...weightOf(d) });
      const ours = parityRankBound(e, r, log10H);
      const theirs = rankLowerBound(d, r, log10H).value;
      // Charging the energy above K at degree K + 1 may lower our value by at most H·M/N(K + 1)·R.
      const slack =
        Math.exp(log10H * Math.LN10 + logCapturedFraction(d, r, degree(SINGLE_STEP_DEGREES + 1))) * 2 * e.remainder;
      const ok = ours <= theirs * (1 + SINGLE_STEP_ROUNDING) && theirs - ours <= slack + SINGLE_STEP_ROUNDING * theirs;
      return { d, r, log10H, ours, theirs, slack, ok };
    });
    const rows: BoundRow[] = [];
    const perD = BOUND_DS[ctx.budget].map((d) => {
      // SENTINEL 'monotone-staircase': equal signs, no square wave.
      const profile = sentinel === 'monotone-staircase' ? staircaseProfile(d) : parityProfile(d);
      const e = degreeEnergies(d, profile, weightOf(d));
      const mine: BoundRow[] = [];
      for (let r = d - 1; r >= 1; r--) {
        mine.push({
          d,
          r,
          log10Heads: parityHeadsNeeded(e, r, THEOREM3_ERROR),
          log10ValueSum: Math.log10(parityValueSumNeeded(e, r, THEOREM3_ERROR)),
          atConstructionHeads: parityRankBound(e, r, Math.log10(2 * d * d + 1)),
        });
      }
      rows.push(...mine);
      const heads = mine.map((m) => m.log10Heads);
      const values = mine.map((m) => m.log10ValueSum);
      const separated = mine.filter((m) => m.r <= d / 2).every((m) => m.atConstructionHeads > THEOREM3_ERROR);
      return {
        d,
        growth: atLeastLinear(heads) && atLeastLinear(values),
        separated,
        firstIncrement: increments(heads)[0] ?? 0,
      };
    });
    const firstIncrements = perD.map((p) => p.firstIncrement);
    const uniform = firstIncrements.every((x, i) => i === 0 || x >= firstIncrements[i - 1]);
    const machineryOk = single.every((s) => s.ok);
    const ok = machineryOk && uniform && perD.every((p) => p.growth && p.separated);
    const allIncrements = perD.flatMap((p) => increments(rows.filter((m) => m.d === p.d).map((m) => m.log10Heads)));
    const c = Math.min(...firstIncrements) * Math.LN10;
    const metrics: Record<string, number> = { c };
    for (const m of rows) {
      metrics[`log10Heads_d${m.d}_r${m.r}`] = m.log10Heads;
      metrics[`log10ValueSum_d${m.d}_r${m.r}`] = m.log10ValueSum;
      metrics[`boundAtConstructionHeads_d${m.d}_r${m.r}`] = m.atConstructionHeads;
    }
    for (const s of single) metrics[`singleStep_d${s.d}_r${s.r}_h${s.log10H}`] = s.ours;
    const f2 = (x: number) => fixed(x, 2);
    const describe = (d: number) => {
      const mine = rows.filter((m) => m.d === d);
      const half = mine.find((m) => m.r === Math.floor(d / 2));
      return text`d = ${d}: log10 H* ${join(
        mine.map((m) => text`${f2(m.log10Heads)} (r = ${m.r})`),
        ', ',
      )}; log10 Σ‖V‖ ${join(
        mine.map((m) => f2(m.log10ValueSum)),
        ', ',
      )}; rank ${half?.r ?? 0} with ${2 * d * d + 1} heads ≥ ${fixed(half?.atConstructionHeads ?? null, 4)}`;
    };
    return {
      verdict: ok ? 'holds' : 'violated',
      summary: text`${join(BOUND_DS[ctx.budget].map(describe), '; ')}; H* ≥ 2·exp(${f2(c)}·(d − r − 1)); Theorem 2’s single step: ${single.filter((s) => s.ok).length} of ${single.length} within the truncation slack`,
      metrics,
      tolerances: Object.fromEntries(Object.keys(metrics).map((k) => [k, 1e-8])),
      margin: allIncrements.length ? Math.min(...allIncrements) : null,
      witnesses: [
        ...single.filter((s) => !s.ok),
        ...perD.filter((p) => !(p.growth && p.separated)),
        ...(uniform ? [] : [{ firstIncrements }]),
      ],
    };
  },
});

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
const TRAINED: Record<Budget, TrainedGrid> = {
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

interface TrainedRow {
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
function trainedModels(budget: Budget, seed: number, rankBecomesFull = false) {
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

// A pure function of d (about 1 s at d = 8): one computation per process.
const parityEnergyStore = new Map<number, DegreeEnergies>();

/** d ≥ 3, 1 ≤ r ≤ d, heads ≥ 1; our lower bound on the error of any rank-r layer with that many heads. */
function lowerBoundFor(d: number, r: number, heads: number): number {
  const e = getOrCompute(parityEnergyStore, d, () => degreeEnergies(d, parityProfile(d)));
  return parityRankBound(e, r, Math.log10(heads));
}

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

const lowRankAboveThreshold = defineCheck({
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

const separationFigure: FigureDef = {
  id: 'theorem3-separation',
  title: 'Theorem 3: the full-rank construction, our lower bound for rank d/2, and trained models',
  caption:
    'Exact error of the 2d² + 1 full-rank heads against d (line); our lower bound on every layer of rank ⌊d/2⌋ with as many heads (line, low-rank-bound): nothing of that rank and head count can go below it; the level 1/40 and the trivial predictor ½ (rules); and models with score biases fine-tuned from the construction (points with 99.9% intervals, x = d): cut to rank r < d, and the whole construction as the full-rank control.',
  budgets: BUDGETS,
  async build(ctx) {
    const { rows, fullRank } = await trainedModels(ctx.budget, ctx.claimSeed);
    const point = (m: TrainedRow) => ({ x: m.d, y: m.error, lo: m.ci[0], hi: m.ci[1] });
    return {
      xLabel: 'embedding dimension d',
      yLabel: 'mean squared error (Gaussian queries, D_2)',
      xScale: 'linear',
      yScale: 'linear',
      series: [
        {
          name: 'full-rank construction, 2d² + 1 heads (exact)',
          style: 'line' as const,
          points: CONSTRUCTION_DS[ctx.budget].map((d) => ({ x: d, y: parityConstructionError(d).value })),
        },
        {
          name: 'our lower bound, rank ⌊d/2⌋, 2d² + 1 heads',
          style: 'line' as const,
          points: BOUND_DS[ctx.budget].map((d) => ({ x: d, y: lowerBoundFor(d, Math.floor(d / 2), 2 * d * d + 1) })),
        },
        { name: 'trained, rank r < d', style: 'points' as const, points: rows.map(point) },
        { name: 'trained, full rank', style: 'points' as const, points: fullRank.map(point) },
        { name: 'error 1/40', style: 'rule' as const, points: [{ x: 3, y: THEOREM3_ERROR }] },
        { name: 'trivial predictor', style: 'rule' as const, points: [{ x: 3, y: 0.5 }] },
      ],
    };
  },
};

export const THEOREM3_CLAIM: Claim = {
  id: 'theorem-3',
  title: 'Exponential separation at constant error',
  paperRef: 'arXiv 2407.16153, Theorem 3',
  statement:
    'A target made of 2d² + 1 biased nearest-neighbour functions (Gaussian queries, biases inside the softmax) is approximated by O(d²) full-rank heads, while rank-r attention has error above 1/40 unless d·H·max_h‖V_h‖² ≥ exp(c(d − r)). Reconstructed: the exact target and c were not available. We use N = 2, D_2 contexts, y ~ N(0, I_d), and the alternating sum of 2d² + 1 biased nearest neighbours with thresholds evenly spread over ±3 standard deviations of ⟨x_1 − x_2, y⟩ (proofs-notes/theorem-3.md). Checked: the construction’s error, exactly (against an independent 40-digit reference up to d = 16) and by simulation; our computable lower bound for every rank-r layer (the heads and the value-matrix sum that error 1/40 needs, and their growth with d − r); models started at the construction cut to rank r and fine-tuned, against a full-rank control started at the whole construction and fine-tuned the same way (errors and value-matrix sizes). Not checked: the bound in the paper’s own form d·H·max‖V_h‖² with its constant c; a verdict here is about this family at these sizes.',
  reconstructed: true,
  parts: [
    {
      id: 'full-rank-construction',
      statement: 'O(d²) full-rank heads (2d² + 1, biases in the softmax) reach error below 1/40',
      checks: ['construction-below-threshold', 'exact-vs-reference', 'construction-matches-simulation'],
    },
    {
      id: 'low-rank-needs-exponential-size',
      statement:
        'Rank-r attention with error below 1/40 needs a size exponential in d − r: at least H*(d, r) heads whatever its value matrices, and Σ_h‖V_h‖ at least S*(d, r) whatever its head count, both growing at least exponentially in d − r (our computable bound)',
      checks: ['low-rank-bound'],
    },
    {
      id: 'value-norm-form',
      statement: 'That size in the paper’s own form: d·H·max_h‖V_h‖² ≥ exp(c(d − r))',
      checks: [],
      untested:
        'our bound gives H ≥ H*(d, r) and Σ_h‖V_h‖ ≥ S*(d, r), which together do not bound d·H·max_h‖V_h‖² from below (many heads with small value matrices escape it), and the paper’s constant c and exact target are not available to us',
    },
  ],
  sources: {
    proofNote: 'proofs-notes/theorem-3.md',
    code: [
      'src/theory/parity-construction.ts',
      'src/theory/parity-bound.ts',
      'src/model/targets.ts',
      'src/search/parity-models.ts',
    ],
    checks: 'properties/theorem-3/claim.ts',
  },
  reach: {
    rows: [
      { quantity: 'construction d', paper: 'every d', tested: (b) => CONSTRUCTION_DS[b].join(', ') },
      {
        quantity: 'low-rank models (d, r)',
        paper: 'every rank r < d, any training',
        tested: (b) => TRAINED[b].cases.map((c) => `(${c.d}, ${c.r})`).join(', '),
      },
      {
        quantity: 'training of each',
        paper: '—',
        tested: (b) =>
          `${TRAINED[b].restarts} restart(s) × ${TRAINED[b].steps} steps, from the construction cut to rank r`,
      },
    ],
    numbers: [],
  },
  checks: [
    constructionBelowThreshold,
    exactVsReference,
    ...THEOREM3_PROPERTY_CHECKS,
    lowRankBound,
    lowRankAboveThreshold,
  ].map(onSideLane),
  figures: [onSideLane(separationFigure)],
  keyResult: () => {
    const c = parityConstructionError(8);
    return {
      label: 'error of 2d² + 1 full-rank heads at d = 8',
      value: c.value,
      text: text`${fixed(c.value, 4)} < 1/40 with ${c.heads} heads`,
    };
  },
};
