/**
 * What the Section-7 experiment claims share: running a grid (tfjs loaded on first use, trained
 * models memoised across claims, checks and sentinels), picking settings out of the results,
 * relabelling them for sentinels, metrics, descriptions, and the MSE-against-rank figure.
 */
import { fixed, interval, join, sci, text, type Template } from '../../src/core/format.js';
import { decide } from '../../src/core/verdicts.js';
import type {
  CheckContext,
  CheckOutcome,
  CheckRecordView,
  FigureBody,
  KeyResult,
  Verdict,
} from '../../src/core/vocabulary.js';
import type { ExperimentDef } from '../../src/experiments/experiment-def.js';
import {
  FAMILY_LEVEL,
  positiveOverSeeds,
  type PositiveTest,
  type SeedComparison,
} from '../../src/experiments/seed-comparison.js';
import { recordResults, recordedResults } from '../../src/experiments/results-store.js';
import { describeMse, type Setting, type SettingResult } from '../../src/experiments/settings.js';
import { hasScoreRank, joinScoreRanks, SCORE_RANK_TOLERANCE, scoreRanksText } from '../../src/model/score-rank.js';
import { currentBackend } from '../../src/training/backend-state.js';

/** Trains (or recalls) every setting of `grid` and records the results for the claim's key result. */
export async function gridResults(claim: string, grid: Setting[], ctx: CheckContext): Promise<SettingResult[]> {
  const { runGrid } = await import('../../src/experiments/runs.js');
  const out = await runGrid(grid, { signal: ctx.signal, root: ctx.runSeed });
  if (!out.complete) throw new Error('interrupted before the grid finished');
  recordResults(claim, out.results);
  return out.results;
}

/** The result of the setting matching every given field. */
export function pick(
  results: SettingResult[],
  where: Partial<Pick<SettingResult, 'layers' | 'copies' | 'heads' | 'rank' | 'n' | 'd' | 'positional'>>,
): SettingResult {
  const hit = results.find((r) => Object.entries(where).every(([k, v]) => r[k as keyof SettingResult] === v));
  if (!hit) throw new Error(`no setting with ${JSON.stringify(where)} in the grid`);
  return hit;
}

/** A copy of `r` presented as another setting (for sentinels that relabel results). */
export function relabel(r: SettingResult, as: SettingResult): SettingResult {
  return {
    ...r,
    layers: as.layers,
    copies: as.copies,
    heads: as.heads,
    rank: as.rank,
    n: as.n,
    d: as.d,
    positional: as.positional,
  };
}

/** Replaces every result matching `from`'s setting by `to` relabelled as it, and vice versa when `swap`. */
export function substitute(
  results: SettingResult[],
  from: SettingResult,
  to: SettingResult,
  swap: boolean,
): SettingResult[] {
  return results.map((r) => (r === from ? relabel(to, from) : swap && r === to ? relabel(from, to) : r));
}

/** Metrics of one setting: mean, interval ends, spread over seeds. */
export function settingMetrics(tag: string, r: SettingResult): Record<string, number> {
  return {
    [`${tag}_mse`]: r.mse.mean,
    [`${tag}_lo`]: r.mse.ci[0],
    [`${tag}_hi`]: r.mse.ci[1],
    [`${tag}_min`]: r.mse.min,
    [`${tag}_max`]: r.mse.max,
  };
}

/** "rank 8: 0.12 […]" for each result. */
export function describeRanks(results: SettingResult[]): Template {
  return text`${results.map((r) => text`rank ${r.rank}: ${describeMse(r)}`)}`;
}

export function backendNote(): Template {
  return text`backend tfjs-${currentBackend() ?? 'none'}`;
}

/** A verdict over training seeds with what it rests on: one row per group, and its margin (the smallest lower end of an interval that must be above 0, MSE units). */
export interface SeedVerdict {
  verdict: Verdict;
  rows: Template[];
  margin: number;
}

/** The settings with a run whose heads' score matrices (read from the weights) do not all have rank `label(setting)`. */
export function mislabelledRanks(
  results: readonly SettingResult[],
  label: (r: SettingResult) => number = (r) => r.rank,
): SettingResult[] {
  return results.filter((r) => r.runs.some((run) => !hasScoreRank(run.scoreRanks, label(r))));
}

/** "score ranks from the weights: rank 4: 4, rank 8: 8" over the settings' runs. */
export function scoreRanksRow(results: readonly SettingResult[]): Template {
  const ranks = (r: SettingResult) => scoreRanksText(joinScoreRanks(r.runs.map((x) => x.scoreRanks)));
  return text`score ranks from the weights (tolerance ${sci(SCORE_RANK_TOLERANCE, 0)}·σ₁), by label: ${[
    ...new Set(results.map((r) => r.rank)),
  ].map(
    (rank) =>
      text`${rank}: ${join(
        results.filter((r) => r.rank === rank).map((r) => ranks(r)),
        '/',
      )}`,
  )}`;
}

/**
 * An experiment check's outcome: the rows after `lead`, the backend named, the margin as
 * `marginMse`, the settings as witnesses. A setting whose trained heads have another score rank
 * than its label makes the check violated: its premise, evidence about rank-r models, fails.
 */
export function seedOutcome(
  v: SeedVerdict,
  metrics: Record<string, number>,
  results: SettingResult[],
  lead: Template | string = '',
): CheckOutcome {
  const mislabelled = mislabelledRanks(results);
  const rows = [...v.rows, scoreRanksRow(results)];
  if (mislabelled.length > 0)
    rows.push(text`not rank-r evidence: ${mislabelled.length} setting(s) of another score rank than their label`);
  return {
    verdict: mislabelled.length > 0 ? 'violated' : v.verdict,
    summary: text`${lead}${join(rows, '; ')} (${backendNote()})`,
    metrics: { ...metrics, marginMse: v.margin },
    margin: v.margin,
    witnesses: results,
  };
}

/** The verdict `rankcheck experiment` prints, from a claim's seed verdict. */
export function experimentVerdict(decideOn: (results: SettingResult[]) => SeedVerdict): ExperimentDef['verdict'] {
  return (results) => {
    const v = decideOn(results);
    return { verdict: v.verdict, summary: join(v.rows, '; ') };
  };
}

/** Figure: MSE against rank, one series per group (e.g. per layer count and copies). */
export async function mseAgainstRankFigure(
  claim: string,
  grid: Setting[],
  ctx: CheckContext,
  group: (r: SettingResult) => string,
): Promise<FigureBody> {
  const results = await gridResults(claim, grid, ctx);
  const groups = [...new Set(results.map(group))];
  return {
    xLabel: 'rank of each head (H = d / rank)',
    yLabel: 'MSE on fresh samples (predictor 0: 1)',
    xScale: 'log',
    yScale: 'log',
    series: groups.map((g) => ({
      name: g,
      group: g,
      style: 'points' as const,
      points: results
        .filter((r) => group(r) === g)
        .map((r) => ({ x: r.rank, y: r.mse.mean, lo: r.mse.ci[0], hi: r.mse.ci[1] })),
    })),
  };
}

/** Whether a check's witness is a setting's result (the experiment checks list the results they judged). */
function isSettingResult(w: unknown): w is SettingResult {
  const r = w as Partial<SettingResult> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.layers === 'number' &&
    typeof r.rank === 'number' &&
    Array.isArray(r.runs) &&
    Array.isArray(r.mse?.ci)
  );
}

/**
 * A key result from what the claim's checks measured: in this process if they ran here, else from
 * the results their reports list (after --resume or merge); null until one of them is there.
 */
export function recordedKeyResult(
  claim: string,
  checks: readonly CheckRecordView[],
  label: string,
  make: (results: SettingResult[]) => { value: number; text: Template },
): KeyResult | null {
  const fromReports = [
    ...new Map(
      checks
        .flatMap((c) => c.witnesses.filter(isSettingResult))
        .map((r) => [JSON.stringify([r.task, r.layers, r.copies, r.heads, r.n, r.d, r.positional]), r]),
    ).values(),
  ];
  const results = recordedResults(claim) ?? (fromReports.length > 0 ? fromReports : undefined);
  if (!results) return null;
  return { label, ...make(results) };
}

/** Holds when every part is certainly positive (the minimum's interval above 0); violated when some part is certainly negative. */
export function positiveVerdict(t: PositiveTest): Verdict {
  return decide(
    t.min.ci[0] > 0,
    t.parts.some((p) => p.ci[1] < 0),
  );
}

/** "0.258 [0.181, 0.335] over 4 seeds": a comparison's mean and interval. */
export function describeComparison(c: SeedComparison): Template {
  const f3 = (x: number | null) => fixed(x, 3);
  return text`${f3(c.mean)} ${interval(c.ci[0], c.ci[1], f3)} over ${c.values.length} seeds`;
}

/**
 * "Fewer heads of higher rank do better" over groups of settings (one group per d, say): within
 * each group, in increasing head count, every step to more heads raises the MSE; tested at each
 * seed as MSE(more heads) − MSE(fewer heads), every step of every group together (the smallest
 * step per seed for "holds", each step alone for "violated"), family-wise level FAMILY_LEVEL.
 */
export function fewerHeadsTest(groups: readonly SettingResult[][]): { test: PositiveTest; verdict: Verdict } {
  const sorted = groups.map((g) => [...g].sort((a, b) => a.heads - b.heads));
  const settings = sorted.flat();
  const steps: ((m: number[]) => number)[] = [];
  let at = 0;
  for (const g of sorted) {
    for (let k = 1; k < g.length; k++) {
      const i = at + k;
      steps.push((m) => m[i] - m[i - 1]);
    }
    at += g.length;
  }
  const test = positiveOverSeeds(settings, steps, FAMILY_LEVEL);
  return { test, verdict: positiveVerdict(test) };
}

/**
 * What every experiment claim's statement says about seeds: the paper's "best of 5" comes from
 * its released training code, which starts every run from one initialisation (proofs-notes/experiments.md).
 */
export const SEEDING_NOTE =
  ' Seeds: the paper reports the best of 5 seeds, and its released code trains those 5 from one initialisation (seed 613) with data streams that overlap (7 loader streams seeded data seed + worker), so they are five orders of nearly the same data; here every seed is an independent training and every verdict an interval over them (`rankcheck experiment --seeding paper` trains the paper’s way).';
