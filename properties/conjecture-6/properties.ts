/**
 * Conjecture 6's degradation checks: the majority-vote construction (intervals over samples) and
 * trained two-layer low-rank models (intervals over training seeds) must do worse at the longest
 * context than at N = 2 and than one full-rank head. The exactness check of the construction is in
 * plurality.ts, the verdict rules in verdicts.ts.
 */
import { join, text } from '../../src/core/format.js';
import { combineVerdicts } from '../../src/core/verdicts.js';
import { BUDGETS, defineCheck, type CheckDef } from '../../src/core/vocabulary.js';
import { CONSTRUCTION_SIZES, constructionSeries } from './construction-series.js';
import { describe, LEVEL, type Measured } from './measured.js';
import { constructionIsPlurality } from './plurality.js';
import { TRAINED, trainedSeries } from './trained-series.js';
import { degradationMargin, degradationVerdict, rankAudited, trainedDegradationVerdict } from './verdicts.js';

const constructionDegrades = defineCheck({
  name: 'construction-degrades-with-n',
  kind: 'statistical',
  description:
    'Theorem 5’s majority-vote network (plurality over N points; fixed d and H) on unif and D_N contexts: its error at the longest context is above its error at N = 2 and above one full-rank head’s (Fact 1, β = 100), intervals apart at level 0.999.',
  sizes: CONSTRUCTION_SIZES,
  margin:
    'the lower interval end at the longest context minus the larger of the two upper ends it must exceed, error units',
  sentinels: { 'full-rank-as-low-rank': 'the full-rank head’s errors reported as the low-rank construction’s' },
  run(ctx, sentinel) {
    const rows = constructionSeries(ctx.budget, ctx.claimSeed).map((r) =>
      sentinel === 'full-rank-as-low-rank' ? { ...r, lowRank: r.fullRank } : r,
    );
    const verdicts = rows.map((r) => degradationVerdict(r.lowRank, r.fullRank));
    const margin = Math.min(...rows.map((r) => degradationMargin(r.lowRank, r.fullRank)));
    const metrics: Record<string, number> = {};
    for (const r of rows) {
      for (const m of r.lowRank) metrics[`construction_${r.dist}_N${m.n}`] = m.error;
      for (const m of r.fullRank) metrics[`fullRank_${r.dist}_N${m.n}`] = m.error;
    }
    return {
      verdict: combineVerdicts(verdicts),
      summary: join(
        rows.map(
          (r) => text`${r.dist}: majority vote ${describe(r.lowRank)}; one full-rank head ${describe(r.fullRank)}`,
        ),
        ' | ',
      ),
      metrics,
      margin,
      level: LEVEL,
    };
  },
});

const trainedDegrades = defineCheck({
  name: 'trained-two-layer-degrades',
  kind: 'search',
  description:
    'Two-layer rank-r attention with concatenated positions, trained with Adam at fixed size (d, r, H) from several seeds, scored exactly: at each seed its error at the longest context minus its error at N = 2, minus that of the same two-layer network at full rank (H heads of rank d, trained longer, until it hardly degrades), and the growth of that gap from N = 2 to the longest context (the low-rank model degrades by more than the full-rank reference, so under-training alone does not explain it), with Student-t intervals over the seeds (family-wise level 0.95) that must lie above 0; and every head’s score matrix Q_hK_hᵀ, read from the trained weights, of numerical rank r, and d in the references (else violated: the evidence is not about rank r against rank d).',
  sizes: Object.fromEntries(
    BUDGETS.map((b) => {
      const g = TRAINED[b];
      return [
        b,
        `d = ${g.d}, H = ${g.heads}, r ∈ {${g.ranks.join(', ')}}, N ∈ {${g.ns.join(', ')}}, ${g.dists.join(' + ')}, ${g.steps} steps, ${g.seeds} seeds`,
      ];
    }),
  ) as CheckDef['sizes'],
  margin:
    'the smallest lower end of the three intervals (degradation with N, gap to full rank, growth of the gap), error units',
  sentinels: {
    'full-rank-as-low-rank': 'the two-layer full-rank reference’s errors reported as the low-rank model’s',
    'secret-rank-plus-one': 'two-layer models trained at rank r + 1 while labelled rank r',
  },
  async run(ctx, sentinel) {
    const trained = await trainedSeries(ctx.budget, ctx.claimSeed, ctx.signal, sentinel === 'secret-rank-plus-one');
    const backend = trained.backend;
    const series = trained.series.map((s) =>
      sentinel === 'full-rank-as-low-rank' ? { ...s, lowRank: s.fullRank } : s,
    );
    const v = rankAudited(trainedDegradationVerdict(series), series);
    const metrics: Record<string, number> = { marginError: v.margin };
    for (const s of series) metrics[`scoreRankMax_${s.dist}_r${s.rank}`] = s.lowRankScoreRanks.max;
    const mean = (m: Measured[]) => m.reduce((a, x) => a + x.error, 0) / m.length;
    for (const s of series)
      s.ns.forEach((n, i) => (metrics[`twoLayer_${s.dist}_r${s.rank}_N${n}`] = mean(s.lowRank[i])));
    for (const s of series.filter((x) => x.rank === series[0].rank))
      s.ns.forEach((n, i) => (metrics[`fullRankTwoLayer_${s.dist}_N${n}`] = mean(s.fullRank[i])));
    return {
      verdict: v.verdict,
      summary: text`${join(v.rows, ' | ')} (backend ${backend})`,
      metrics,
      margin: v.margin,
    };
  },
});

/** Conjecture 6's checks, in report order. */
export const CONJECTURE6_CHECKS: CheckDef[] = [constructionIsPlurality, constructionDegrades, trainedDegrades];
