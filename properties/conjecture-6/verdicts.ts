/**
 * Conjecture 6's verdict rules: when the evidence of the constructions (intervals over samples) and
 * of the trained models (Student-t intervals over training seeds) supports the conjecture.
 */
import { interval, sci, text, type Template } from '../../src/core/format.js';
import { studentInterval } from '../../src/core/stats.js';
import { combineVerdicts } from '../../src/core/verdicts.js';
import type { Verdict } from '../../src/core/vocabulary.js';
import { hasScoreRank, joinScoreRanks, SCORE_RANK_TOLERANCE, scoreRanksText } from '../../src/model/score-rank.js';
import { f3, type Measured } from './measured.js';
import type { TrainedSeries } from './trained-series.js';

/**
 * Supported when, at the longest context, the low-rank error is above the full-rank head's
 * (intervals apart) and above its own error at the shortest context; not supported when there is
 * no gap to full rank at the longest context; inconclusive otherwise.
 */
export function degradationVerdict(lowRank: readonly Measured[], fullRank: readonly Measured[]): Verdict {
  const first = lowRank[0];
  const last = lowRank[lowRank.length - 1];
  const full = fullRank.find((f) => f.n === last.n);
  if (!full || last.ci[0] <= full.ci[1]) return 'violated';
  return last.ci[0] > first.ci[1] ? 'holds' : 'inconclusive';
}

/** How far the longest context's lower interval end is above both the full-rank head's and the shortest context's upper ends. */
export function degradationMargin(lowRank: readonly Measured[], fullRank: readonly Measured[]): number {
  const last = lowRank[lowRank.length - 1];
  const full = fullRank.find((f) => f.n === last.n);
  return Math.min(last.ci[0] - (full?.ci[1] ?? Infinity), last.ci[0] - lowRank[0].ci[1]);
}

/** A per-seed statistic's mean and Student-t interval over the training seeds. */
export function overSeeds(values: number[], level: number): { mean: number; ci: [number, number]; n: number } {
  const iv = studentInterval(values, level);
  return { mean: values.reduce((a, b) => a + b, 0) / values.length, ci: [iv.lo, iv.hi], n: values.length };
}

/**
 * For each series: at each training seed, the low-rank error at the longest context minus its
 * error at N = 2 (it degrades), minus the full-rank head's at the longest context (a gap to full
 * rank), and the growth of that gap from N = 2 to the longest context (the low-rank model degrades
 * by more than the two-layer full-rank reference, so the degradation is not the training's alone), with Student-t intervals over the seeds, the family level 0.95 split between all these
 * tests. Supported ("holds") when all three are certainly positive in every series; not supported
 * ("violated") when some series' gap to full rank is certainly not positive.
 */
export function trainedDegradationVerdict(series: readonly TrainedSeries[]): {
  verdict: Verdict;
  rows: Template[];
  margin: number;
} {
  const level = 1 - 0.05 / (3 * series.length);
  const err = (m: Measured[]) => m.map((x) => x.error);
  const verdicts: Verdict[] = [];
  const rows: Template[] = [];
  let margin = Infinity;
  for (const s of series) {
    const last = s.ns.length - 1;
    const low = s.lowRank.map(err);
    const full = s.fullRank.map(err);
    const degrades = overSeeds(
      low[last].map((x, k) => x - low[0][k]),
      level,
    );
    const gap = overSeeds(
      low[last].map((x, k) => x - full[last][k]),
      level,
    );
    const grows = overSeeds(
      low[last].map((x, k) => x - low[0][k] - (full[last][k] - full[0][k])),
      level,
    );
    verdicts.push(
      gap.ci[1] <= 0 ? 'violated' : degrades.ci[0] > 0 && gap.ci[0] > 0 && grows.ci[0] > 0 ? 'holds' : 'inconclusive',
    );
    margin = Math.min(margin, degrades.ci[0], gap.ci[0], grows.ci[0]);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    rows.push(
      text`${s.dist}, rank ${s.rank}: mean error over ${degrades.n} seeds ${s.ns.map((n, i) => text`N=${n}: ${f3(mean(low[i]))}`)}; two-layer full rank ${s.ns.map((n, i) => text`N=${n}: ${f3(mean(full[i]))}`)}; per seed, N = ${s.ns[last]} minus N = ${s.ns[0]}: ${f3(degrades.mean)} ${interval(degrades.ci[0], degrades.ci[1], f3)}, low rank minus full rank at N = ${s.ns[last]}: ${f3(gap.mean)} ${interval(gap.ci[0], gap.ci[1], f3)}, growth of that gap from N = ${s.ns[0]}: ${f3(grows.mean)} ${interval(grows.ci[0], grows.ci[1], f3)}`,
    );
  }
  return { verdict: combineVerdicts(verdicts), rows, margin };
}

/**
 * The verdict, unless some series' two-layer models have score matrices of another rank than their
 * label, or its full-rank references not rank d (numerical rank of Q_h K_hᵀ from the weights):
 * then violated, for the check's premise — that the evidence compares rank r with rank d — fails,
 * and the summary says so. Each series' measured ranks are stated either way.
 */
export function rankAudited(
  v: { verdict: Verdict; rows: Template[]; margin: number },
  series: readonly TrainedSeries[],
): { verdict: Verdict; rows: Template[]; margin: number } {
  const over = series.filter(
    (s) => !hasScoreRank(s.lowRankScoreRanks, s.rank) || !hasScoreRank(s.fullRankScoreRanks, s.d),
  );
  const ranks = text`score ranks from the weights (tolerance ${sci(SCORE_RANK_TOLERANCE, 0)}·σ₁): ${series.map((s) => text`${s.dist}, label ${s.rank}: ${scoreRanksText(s.lowRankScoreRanks)}`)}; full-rank references: ${scoreRanksText(joinScoreRanks(series.map((s) => s.fullRankScoreRanks)))}`;
  if (over.length === 0) return { ...v, rows: [...v.rows, ranks] };
  return {
    verdict: 'violated',
    rows: [
      ...v.rows,
      text`${ranks}; not rank-r against rank-d evidence: ${over.length} series of another rank than their label`,
    ],
    margin: v.margin,
  };
}
