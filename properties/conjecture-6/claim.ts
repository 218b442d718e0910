/**
 * Conjecture 6: no fixed-size low-rank multi-layer transformer approximates nearest neighbour for
 * every N; the constructions degrade as N grows. A conjecture is not proved by tests: the checks
 * report whether the evidence at the tested sizes supports it ("holds": supported; "violated":
 * the low-rank models match the full-rank head at the longest context, so not supported).
 * The checks are in properties.ts, the figure in error-vs-context-length.ts.
 */
import { fixed, text } from '../../src/core/format.js';
import type { Claim } from '../../src/core/vocabulary.js';
import { CONSTRUCTION, constructionSeries } from './construction-series.js';
import { longContextFigure } from './error-vs-context-length.js';
import { CONJECTURE6_CHECKS } from './properties.js';
import { TRAINED } from './trained-series.js';

export const CONJECTURE6_CLAIM: Claim = {
  id: 'conjecture-6',
  title: 'No fixed low-rank transformer handles every context length',
  paperRef: 'arXiv 2407.16153, Conjecture 6',
  statement:
    'No fixed-size low-rank multi-layer transformer approximates the nearest-neighbour target for every N; the constructions above degrade as N grows. A conjecture cannot be proved by tests: "holds" means the evidence at the tested sizes supports it (the low-rank error grows with N, by more than that of a full-rank model of the same depth, and stays above it), "violated" that it does not (no gap to full rank at the longest context).',
  reconstructed: false,
  conjecture: true,
  parts: [
    {
      id: 'constructions-degrade',
      statement: 'The constructions (the majority vote) degrade as N grows',
      checks: ['construction-is-plurality-vote', 'construction-degrades-with-n'],
    },
    {
      id: 'no-fixed-model',
      statement: 'No fixed-size low-rank multi-layer transformer approximates the target for every N',
      checks: ['trained-two-layer-degrades'],
    },
  ],
  sources: {
    proofNote: 'proofs-notes/conjecture-6.md',
    code: ['src/model/depth-network.ts', 'src/search/two-layer.ts', 'src/model/monte-carlo.ts'],
    checks: 'properties/conjecture-6/claim.ts',
  },
  reach: {
    rows: [
      {
        quantity: 'constructions (d, H, N)',
        paper: 'any fixed size, N growing',
        tested: (b) => `d = ${CONSTRUCTION[b].d}, H = ${CONSTRUCTION[b].heads}, N = ${CONSTRUCTION[b].ns.join(', ')}`,
      },
      {
        quantity: 'trained two-layer models (d, H, r, N)',
        paper: 'any fixed size, N growing',
        tested: (b) =>
          `d = ${TRAINED[b].d}, H = ${TRAINED[b].heads}, r = ${TRAINED[b].ranks.join(', ')}, N = ${TRAINED[b].ns.join(', ')}`,
      },
      {
        quantity: 'training of each',
        paper: '—',
        tested: (b) =>
          `${TRAINED[b].steps} steps (the two-layer full-rank reference ${TRAINED[b].referenceSteps}), ${TRAINED[b].seeds} seeds, ${TRAINED[b].dists.join(' + ')}`,
      },
    ],
    numbers: [],
  },
  checks: CONJECTURE6_CHECKS,
  figures: [longContextFigure],
  keyResult: () => {
    const g = CONSTRUCTION.quick;
    const rows = constructionSeries('quick', 0);
    const u = rows[0].lowRank;
    return {
      label: `majority-vote error, d = ${g.d}, H = ${g.heads}, unif: N = ${u[0].n} → ${u[u.length - 1].n}`,
      value: u[u.length - 1].error,
      text: text`${fixed(u[0].error, 3)} at N = ${u[0].n}, ${fixed(u[u.length - 1].error, 3)} at N = ${u[u.length - 1].n}`,
    };
  },
};
