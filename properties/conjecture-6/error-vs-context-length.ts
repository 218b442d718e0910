/**
 * Conjecture 6's figure: the error against the context length N of the majority-vote network, of
 * trained two-layer low-rank models, of one full-rank head and of the two-layer full-rank reference, from the checks' own series.
 */
import { BUDGETS, type FigureDef } from '../../src/core/vocabulary.js';
import { constructionSeries, REFERENCE_BETA } from './construction-series.js';
import type { Measured } from './measured.js';
import { trainedSeries } from './trained-series.js';
import { overSeeds } from './verdicts.js';

export const longContextFigure: FigureDef = {
  id: 'error-vs-context-length',
  title: 'Conjecture 6: low-rank constructions and trained models against the context length N',
  caption:
    'Nearest-neighbour error against N at fixed size: the majority-vote network (unif and D_N), trained two-layer low-rank models, one full-rank head (Fact 1 at β = 100) and the trained two-layer full-rank reference. Intervals: level 0.999 over samples for the constructions; for trained models 95% Student-t intervals over the training seeds.',
  budgets: BUDGETS,
  async build(ctx) {
    const pts = (s: readonly Measured[]) => s.map((m) => ({ x: m.n, y: m.error, lo: m.ci[0], hi: m.ci[1] }));
    // A trained series over its seeds: the mean error at each N with the Student-t interval over the seeds.
    const seedPts = (perN: readonly Measured[][]) =>
      perN.map((ms) => {
        const o = overSeeds(
          ms.map((m) => m.error),
          0.95,
        );
        return { x: ms[0].n, y: o.mean, lo: o.ci[0], hi: o.ci[1] };
      });
    const construction = constructionSeries(ctx.budget, ctx.claimSeed);
    const { series } = await trainedSeries(ctx.budget, ctx.claimSeed);
    return {
      xLabel: 'context length N',
      yLabel: 'mean squared error',
      xScale: 'log',
      yScale: 'linear',
      series: [
        ...construction.flatMap((r) => [
          { name: `majority vote, ${r.dist}`, group: r.dist, style: 'points' as const, points: pts(r.lowRank) },
          {
            name: `full-rank head β = ${REFERENCE_BETA}, ${r.dist}`,
            group: r.dist,
            style: 'line' as const,
            points: pts(r.fullRank),
          },
        ]),
        ...series.map((s) => ({
          name: `trained two layers, rank ${s.rank}, ${s.dist}`,
          group: `trained ${s.dist}`,
          style: 'points' as const,
          points: seedPts(s.lowRank),
        })),
        ...series
          .filter((s) => s.rank === series[0].rank)
          .map((s) => ({
            name: `trained two layers, full rank, ${s.dist}`,
            group: `trained ${s.dist}`,
            style: 'line' as const,
            points: seedPts(s.fullRank),
          })),
      ],
    };
  },
};
