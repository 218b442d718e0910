/**
 * Learned weights (appendix): after training, a one-layer full-rank transformer with one head has a
 * score matrix Wq Wkᵀ (the paper's K Qᵀ) nearly antiparallel to the identity — Fact 1's
 * construction with the sign flipped for farthest neighbour. Reuses figure-1's trained models.
 */
import { degrees, fixed, join, text } from '../../src/core/format.js';
import { defineCheck, type Budget, type Claim, type Verdict } from '../../src/core/vocabulary.js';
import { minimumAngleForRank } from '../../src/experiments/analysis.js';
import { joinScoreRanks, scoreRanksText } from '../../src/model/score-rank.js';
import type { ExperimentDef } from '../../src/experiments/experiment-def.js';
import type { Setting, SettingResult } from '../../src/experiments/settings.js';
import { oneLayerGrid } from '../figure-1/claim.js';
import { SEEDS } from '../support/experiment-budgets.js';
import { experimentRows, metricAt, PAPER_TRAINING, sameAtPaper } from '../support/reach.js';
import {
  backendNote,
  gridResults,
  mislabelledRanks,
  pick,
  recordedKeyResult,
  SEEDING_NOTE,
} from '../support/experiments.js';

export const LEARNED_WEIGHTS_ID = 'learned-weights';

/** The paper's angles between K Qᵀ and +I, in degrees: about 180° with one head, about 169° with 64. */
export const PAPER_ANGLES = { oneHead: 180, sixtyFourHeads: 169 } as const;

/**
 * The authors' released figure of these angles (paper_experiments/imgs/fig_perfect.png, drawn by
 * analysis.py's fig_perfect): its "Num heads" is the width multiplier c, the number of parallel
 * copies of one-head full-rank attention (the runs it reads have nheads = 1, num_layers = 1), and
 * it plots every copy's K Qᵀ. Read off the plot, in degrees from +I: the median copy at c = 8 and
 * c = 64, and the least antiparallel copy at any c (an outlier at c = 64).
 */
export const PAPER_COPY_ANGLES = { median: { 8: 176, 64: 168.5 }, leastAntiparallel: 161.5 } as const;

/**
 * Largest median angle (degrees) to −I of the copies' score matrices that counts as "still nearly
 * antiparallel" with c copies: 180° − 161.5°, the paper's least antiparallel copy at any c, so that
 * the paper's own models pass at every c (medians 4° and 11.5° from −I) while a random matrix
 * (about 90°) or a rank-d/2 head (45° at least) fails.
 */
export const MAX_COPY_MEDIAN_ANGLE = 180 - PAPER_COPY_ANGLES.leastAntiparallel;

/**
 * Largest angle (degrees) between Wq Wkᵀ and −I that counts as "nearly antiparallel to I": the
 * paper's least antiparallel figure, 180° − 169° = 11°. A one-head model must be at least as
 * close to −I as the paper's 64-head models; the trained ones sit near 1° (0.4° at quick).
 */
export const MAX_ANGLE = 180 - PAPER_ANGLES.sixtyFourHeads;

/** figure-1's one-layer, c = 1 models with one head (full rank) and two heads (rank d/2, for a sentinel). */
function grid(budget: Budget): Setting[] {
  return oneLayerGrid(budget).filter((x) => x.arch.copies === 1 && x.arch.heads <= 2);
}

/** figure-1's one-layer models with c > 1 copies and one head (full rank) or two (rank d/2, for a sentinel). */
function copiesGrid(budget: Budget): Setting[] {
  return oneLayerGrid(budget).filter((x) => x.arch.copies > 1 && x.arch.heads <= 2);
}

/** The median of `xs` (non-empty). */
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Holds when, at every copy count c, the median over the copies of every seed of the angle to −I
 * is at most MAX_COPY_MEDIAN_ANGLE; violated otherwise (exact functions of the trained weights).
 */
export function copiesVerdict(anglesByCopies: { copies: number; angles: number[] }[]): Verdict {
  return anglesByCopies.every((g) => median(g.angles) <= MAX_COPY_MEDIAN_ANGLE) ? 'holds' : 'violated';
}

/** Holds when every seed's angle is below MAX_ANGLE; violated otherwise (the angles are exact functions of the trained weights). */
export function antiparallelVerdict(angles: number[]): Verdict {
  return angles.every((a) => a < MAX_ANGLE) ? 'holds' : 'violated';
}

/** Each seed's angle to −I of the first head of the first copy (the one head of a c = 1, H = 1 model). */
const anglesOf = (r: SettingResult) => r.runs.map((x) => x.headAngles[0]);

const antiparallel = defineCheck({
  name: 'score-matrix-antiparallel-to-identity',
  kind: 'experiment',
  description: `For every training seed, the trained one-head full-rank model (figure-1's one-layer, c = 1 run) has a score matrix Wq Wkᵀ within ${MAX_ANGLE}° of −I, the paper’s least antiparallel figure (169° from +I with 64 heads; a random matrix: about 90°; no rank-d/2 head can get below 45°): a statement about each model trained, so every seed must pass (the angle is an exact function of the weights); and that model's score matrix, read from its weights, has numerical rank d (else violated: it is not the full-rank head).`,
  margin: `${MAX_ANGLE}° minus the worst seed's angle to −I, in degrees`,
  sizes: Object.fromEntries(
    (['quick', 'standard', 'paper'] as const).map((b) => [
      b,
      `figure-1's one-layer, c = 1 models with H = 1 and 2, ${SEEDS[b]} seed(s) (no extra training)`,
    ]),
  ),
  sentinels: {
    'secret-half-rank': 'head 1 of the trained rank-d/2 model (H = 2) posing as the full-rank head',
    'identity-sign': 'the angle measured against +I (nearest neighbour) instead of −I: 180° minus the angle to −I',
  },
  async run(ctx, sentinel) {
    const results = await gridResults(LEARNED_WEIGHTS_ID, grid(ctx.budget), ctx);
    const d = results[0].d;
    const model = pick(results, { heads: sentinel === 'secret-half-rank' ? 2 : 1 });
    const angles = anglesOf(model).map((a) => (sentinel === 'identity-sign' ? 180 - a : a));
    const worst = Math.max(...angles);
    const half = anglesOf(pick(results, { heads: 2 }));
    // The statement is about the full-rank head: a model whose score matrix has rank below d is not one.
    const notFullRank = mislabelledRanks([model], () => d).length > 0;
    return {
      verdict: notFullRank ? 'violated' : antiparallelVerdict(angles),
      margin: MAX_ANGLE - worst,
      summary: text`angle between Wq Wkᵀ and −I: ${angles.map((a) => degrees(a, 1))} over ${angles.length} seed(s) (d = ${d}, threshold ${MAX_ANGLE}°; the rank-${d / 2} heads: ${half.map((a) => degrees(a, 1))}, never below ${degrees(minimumAngleForRank(d / 2, d), 0)}); score rank of the model read from its weights: ${scoreRanksText(joinScoreRanks(model.runs.map((x) => x.scoreRanks)))} (must be ${d}) (${backendNote()})`,
      metrics: {
        worstAngleDegrees: worst,
        meanAngleDegrees: angles.reduce((a, b) => a + b, 0) / angles.length,
        halfRankAngleDegrees: Math.min(...half),
        d,
      },
      // The setting's result (its runs carry each seed's angle), so that the key result survives --resume and merge.
      witnesses: [model],
    };
  },
});

const copiesAntiparallel = defineCheck({
  name: 'copies-antiparallel-to-identity',
  kind: 'experiment',
  description: `With c > 1 parallel copies of one-head full-rank attention (figure-1's one-layer models; the authors' figure of these angles calls c "num heads"), the median over all copies of all training seeds of the angle between a copy's Wq Wkᵀ and −I is at most ${MAX_COPY_MEDIAN_ANGLE}° at every c, the paper's least antiparallel copy at any c (161.5° from +I; its medians are about 176° at c = 8 and 168.5° at c = 64); and every copy's score matrix, read from its weights, has numerical rank d (else violated: it is not a full-rank head). Exact functions of the trained weights: no interval.`,
  margin: `${MAX_COPY_MEDIAN_ANGLE}° minus the largest median angle to −I over the copy counts, in degrees`,
  // Below paper the copies are trained for 600 steps at d = 8, where most of them never reach the
  // construction (the claim's part says so with the numbers): measured, not checked.
  sizes: {
    paper: `figure-1's one-layer models with c ∈ {8, 64} copies of one full-rank head (and of two rank-d/2 heads, for a sentinel), ${SEEDS.paper} seeds (no extra training)`,
  },
  sentinels: {
    'secret-half-rank': 'the copies of the trained rank-d/2 model (H = 2 per copy) posing as full-rank heads',
    'identity-sign': 'the angles measured against +I (nearest neighbour) instead of −I: 180° minus each',
  },
  async run(ctx, sentinel) {
    const results = await gridResults(LEARNED_WEIGHTS_ID, copiesGrid(ctx.budget), ctx);
    const d = results[0].d;
    const groups = [...new Set(results.map((r) => r.copies))].map((copies) => {
      const model = pick(results, { copies, heads: sentinel === 'secret-half-rank' ? 2 : 1 });
      const angles = model.runs.flatMap((x) => x.headAngles).map((a) => (sentinel === 'identity-sign' ? 180 - a : a));
      return { copies, model, angles };
    });
    const notFullRank = mislabelledRanks(
      groups.map((g) => g.model),
      () => d,
    ).length;
    const medians = groups.map((g) => median(g.angles));
    const metrics: Record<string, number> = { d };
    for (const [i, g] of groups.entries()) {
      metrics[`c${g.copies}_medianAngleDegrees`] = medians[i];
      metrics[`c${g.copies}_worstAngleDegrees`] = Math.max(...g.angles);
      metrics[`c${g.copies}_bestAngleDegrees`] = Math.min(...g.angles);
    }
    return {
      verdict: notFullRank > 0 ? 'violated' : copiesVerdict(groups),
      margin: MAX_COPY_MEDIAN_ANGLE - Math.max(...medians),
      summary: text`angle between each copy's Wq Wkᵀ and −I, median [least, most] over copies and seeds: ${groups.map((g, i) => text`c = ${g.copies}: ${degrees(medians[i], 1)} [${degrees(Math.min(...g.angles), 1)}, ${degrees(Math.max(...g.angles), 1)}]`)} (d = ${d}, threshold on the median ${MAX_COPY_MEDIAN_ANGLE}°; the paper: medians about ${180 - PAPER_COPY_ANGLES.median[8]}° at c = 8 and ${180 - PAPER_COPY_ANGLES.median[64]}° at c = 64); score ranks read from the weights: ${groups.map((g) => scoreRanksText(joinScoreRanks(g.model.runs.map((x) => x.scoreRanks))))} (must be ${d}) (${backendNote()})`,
      metrics,
      witnesses: groups.map((g) => g.model),
    };
  },
});

/** The c > 1 models where the copies' check runs (paper): they train at standard too (figure-1), measured but not checked there. */
const checkedCopiesGrid = (b: Budget): Setting[] => (copiesAntiparallel.sizes[b] ? copiesGrid(b) : []);

export const LEARNED_WEIGHTS_EXPERIMENT: ExperimentDef = {
  claim: LEARNED_WEIGHTS_ID,
  grid: (b) => [...grid(b), ...checkedCopiesGrid(b)],
  verdict(results) {
    const angles = anglesOf(pick(results, { heads: 1, copies: 1 }));
    const copies = results
      .filter((r) => r.copies > 1 && r.heads === 1)
      .map((r) => ({ copies: r.copies, angles: r.runs.flatMap((x) => x.headAngles) }));
    const one = antiparallelVerdict(angles);
    return {
      verdict: copies.length === 0 || one !== 'holds' ? one : copiesVerdict(copies),
      summary: text`angle between Wq Wkᵀ and −I (c = 1, H = 1): ${angles.map((a) => degrees(a, 1))} (threshold ${MAX_ANGLE}°)${join(
        copies.map(
          (g) =>
            text`; c = ${g.copies}: median over the copies ${degrees(median(g.angles), 1)} (threshold ${MAX_COPY_MEDIAN_ANGLE}°)`,
        ),
        '',
      )}`,
    };
  },
};

export const LEARNED_WEIGHTS_CLAIM: Claim = {
  id: LEARNED_WEIGHTS_ID,
  title: "Training finds Fact 1's construction",
  paperRef: 'arXiv 2407.16153, appendix (learned weights)',
  statement:
    'After training one full-rank head on farthest neighbour, K Qᵀ is nearly antiparallel to the identity (about 180°; about 169° with 64 heads): the learned solution is the construction of Fact 1 with the sign flipped. The "64 heads" are 64 parallel copies of one-head full-rank attention (c = 64), as the authors’ released figure of these angles and the script that draws it settle (analysis.py, fig_perfect). Checked on the one-layer models of figure-1: one copy at every budget, c = 8 and 64 copies at the paper budget.' +
    SEEDING_NOTE,
  reconstructed: false,
  parts: [
    {
      id: 'one-head',
      statement: 'A trained one-head full-rank model has Wq Wkᵀ nearly antiparallel to I (about 180° from +I)',
      checks: ['score-matrix-antiparallel-to-identity'],
    },
    {
      id: 'many-heads',
      statement:
        'With many parallel full-rank heads (c copies) every head stays nearly antiparallel to I: about 176° at c = 8 and 169° at c = 64 (medians over the heads)',
      checks: ['copies-antiparallel-to-identity'],
      untested: {
        quick: 'quick trains one copy only (c = 1)',
        standard:
          "measured at standard, not checked: there the c = 8 models train 600 steps at d = 8, and most copies never reach the construction. Angles of the copies' Wq Wkᵀ to −I over training seeds 1–5 (root seed 0, measured 2026-12-07): each model has 2 to 4 of its 8 copies within 3.5° and the rest at 5.9°–50.3° (median of the 40 copies 19.9°, against the paper's 4° at c = 8 after 100 000 steps at d = 64): evidence that at this size the copies divide the work, not a test of the paper's setting",
      },
    },
  ],
  sources: {
    proofNote: 'proofs-notes/learned-weights.md',
    code: ['src/experiments/analysis.ts', 'src/experiments/weights.ts'],
    checks: 'properties/learned-weights/claim.ts',
  },
  reach: {
    rows: experimentRows((b) => [...grid(b), ...checkedCopiesGrid(b)], {
      d: '64',
      n: '16',
      layers: '1',
      heads: '1 (per copy)',
      copies: '1, 8, 64',
      ...PAPER_TRAINING,
    }),
    numbers: [
      {
        label: 'one full-rank head: angle between K Qᵀ and +I, worst seed (degrees)',
        paper: PAPER_ANGLES.oneHead,
        source: 'arXiv 2407.16153, appendix (learned weights): about 180°',
        check: 'score-matrix-antiparallel-to-identity',
        ours: metricAt(
          () => 'worstAngleDegrees',
          sameAtPaper,
          (toMinusIdentity) => 180 - toMinusIdentity,
        ),
      },
      ...([8, 64] as const).map((c) => ({
        label: `c = ${c} copies of one full-rank head: median angle between a copy's K Qᵀ and +I (degrees)`,
        paper: PAPER_COPY_ANGLES.median[c],
        source: "the authors' released figure paper_experiments/imgs/fig_perfect.png (read off the plot)",
        check: 'copies-antiparallel-to-identity',
        ours: metricAt(
          (b) => (b === 'paper' ? `c${c}_medianAngleDegrees` : null),
          sameAtPaper,
          (toMinusIdentity) => 180 - toMinusIdentity,
        ),
      })),
    ],
  },
  checks: [antiparallel, copiesAntiparallel],
  figures: [],
  keyResult: (checks) =>
    recordedKeyResult(LEARNED_WEIGHTS_ID, checks, 'angle between Wq Wkᵀ and −I (one full-rank head)', (rs) => {
      const angles = anglesOf(pick(rs, { heads: 1 }));
      const worst = Math.max(...angles);
      return {
        value: worst,
        text: text`${fixed(worst, 1)}° at worst over ${angles.length} seed(s), d = ${rs[0].d} (the paper: about 180° from +I)`,
      };
    }),
};
