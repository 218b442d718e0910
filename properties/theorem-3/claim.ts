/**
 * Theorem 3 (reconstructed target): 2d² + 1 full-rank heads reach error below 1/40 on a target
 * built from biased nearest neighbours with Gaussian queries, while rank-r attention stays above
 * 1/40 unless d·H·max_h ‖V_h‖² ≥ exp(c(d − r)). The claim, its parts and its figure; the checks
 * live by job: the construction's exact error (construction.ts), its simulation (properties.ts),
 * our computed lower bound for every rank-r layer (lower-bound.ts), and models fine-tuned from the
 * construction cut to rank r against that bound and a full-rank control (trained-models.ts).
 */
import { BUDGETS, type Claim, type FigureDef, onSideLane } from '../../src/core/vocabulary.js';
import { fixed, text } from '../../src/core/format.js';
import { parityConstructionError } from '../../src/theory/parity-construction.js';
import { CONSTRUCTION_DS, constructionBelowThreshold, exactVsReference, THEOREM3_ERROR } from './construction.js';
import { BOUND_DS, lowerBoundFor, lowRankBound } from './lower-bound.js';
import { THEOREM3_PROPERTY_CHECKS } from './properties.js';
import { lowRankAboveThreshold, TRAINED, trainedModels, type TrainedRow } from './trained-models.js';

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
