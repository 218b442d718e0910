/**
 * Figure 1 of the paper (Section 7): standard transformers on farthest neighbour, MSE against the
 * rank of the heads (H = d/r), for 1, 3 and 5 layers and c = 1, 8, 64 averaged attention copies.
 * Checks that one full-rank head beats every lower rank by a wide margin at one layer, and that
 * depth narrows the gap without closing it.
 */
import { join, text, type Template } from '../../src/core/format.js';
import { combineVerdicts, decide } from '../../src/core/verdicts.js';
import { defineCheck, type Budget, type Claim, type FigureDef, type Verdict } from '../../src/core/vocabulary.js';
import type { ExperimentDef } from '../../src/experiments/experiment-def.js';
import {
  beatsBy,
  describeMse,
  failsToBeatBy,
  type Setting,
  type SettingResult,
} from '../../src/experiments/settings.js';
import { headCounts, RECIPES, SCALE, SEEDS } from '../support/experiment-budgets.js';
import {
  backendNote,
  describeRanks,
  gridResults,
  mseAgainstRankFigure,
  pick,
  recordedKeyResult,
  settingMetrics,
  substitute,
} from '../support/experiments.js';

export const FIGURE1_ID = 'figure-1';

/** "Wide margin": every seed of full rank must be at least this many times better than every seed of each lower rank. */
export const WIDE_MARGIN = 2;

const ONE_LAYER_COPIES: Record<Budget, number[]> = { quick: [1, 8], standard: [1, 8], paper: [1, 8, 64] };
/**
 * Heads per copy count at one layer: every H = d/r, except at quick's c = 8, which trains full rank
 * and rank d/2 only — the best lower rank in every grid we ran (MSE rises as the rank falls) — to
 * keep the quick audit short (four c = 8 models take ~13 s, two ~6 s).
 */
const oneLayerHeads = (budget: Budget, c: number): number[] =>
  budget === 'quick' && c > 1 ? [1, 2] : headCounts(SCALE[budget].d);
const DEEP_LAYERS: Record<Budget, number[]> = { quick: [], standard: [2], paper: [3, 5] };
const DEEP_COPIES: Record<Budget, number[]> = { quick: [], standard: [1], paper: [1, 8, 64] };

function farthest(budget: Budget, layers: number, copies: number, heads: number): Setting {
  const s = SCALE[budget];
  return {
    task: { kind: 'farthest', d: s.d, n: s.n, positional: 'none' },
    arch: { layers, heads, copies, mlpWidth: s.mlpWidth },
    recipe: RECIPES[budget],
    seeds: SEEDS[budget],
  };
}

/** The one-layer grid: every rank at every copy count (exported: other claims reuse these trained models). */
export function oneLayerGrid(budget: Budget): Setting[] {
  return ONE_LAYER_COPIES[budget].flatMap((c) => oneLayerHeads(budget, c).map((h) => farthest(budget, 1, c, h)));
}

function deepGrid(budget: Budget): Setting[] {
  return DEEP_LAYERS[budget].flatMap((L) =>
    DEEP_COPIES[budget].flatMap((c) => headCounts(SCALE[budget].d).map((h) => farthest(budget, L, c, h))),
  );
}

/**
 * One layer: for every c, full rank beats every lower rank by WIDE_MARGIN (holds); violated when
 * some lower rank is certainly within that margin (its whole interval below margin × full rank's lower end).
 */
export function oneLayerVerdict(results: SettingResult[]): { verdict: Verdict; rows: Template[] } {
  const verdicts: Verdict[] = [];
  const rows: Template[] = [];
  for (const c of new Set(results.map((r) => r.copies))) {
    const group = results.filter((r) => r.copies === c && r.layers === 1);
    const d = group[0].d;
    const full = pick(group, { rank: d });
    for (const low of group.filter((r) => r.rank < d)) {
      verdicts.push(decide(beatsBy(full, low, WIDE_MARGIN), failsToBeatBy(full, low, WIDE_MARGIN)));
    }
    rows.push(text`c = ${c}: ${describeRanks(group)}`);
  }
  return { verdict: combineVerdicts(verdicts), rows };
}

/**
 * Depth: at every deeper L and c, full rank still beats every lower rank (intervals apart), and the
 * best lower rank at the deepest L beats the best lower rank at one layer (the gap narrows).
 * Violated when a lower rank is certainly at least as good as full rank, or when depth certainly
 * makes the best lower rank worse.
 */
export function depthVerdict(results: SettingResult[]): { verdict: Verdict; rows: Template[] } {
  const verdicts: Verdict[] = [];
  const rows: Template[] = [];
  const bestLow = (rs: SettingResult[]) =>
    rs.filter((r) => r.rank < r.d).reduce((a, r) => (r.mse.mean < a.mse.mean ? r : a));
  const maxL = Math.max(...results.map((r) => r.layers));
  for (const c of new Set(results.filter((r) => r.layers > 1).map((r) => r.copies))) {
    for (const L of new Set(results.filter((r) => r.layers > 1 && r.copies === c).map((r) => r.layers))) {
      const group = results.filter((r) => r.layers === L && r.copies === c);
      const full = pick(group, { rank: group[0].d });
      for (const low of group.filter((r) => r.rank < r.d))
        verdicts.push(decide(beatsBy(full, low, 1), failsToBeatBy(full, low, 1)));
      rows.push(text`L = ${L}, c = ${c}: ${describeRanks(group)}`);
    }
    const shallow = bestLow(results.filter((r) => r.layers === 1 && r.copies === c));
    const deep = bestLow(results.filter((r) => r.layers === maxL && r.copies === c));
    verdicts.push(decide(beatsBy(deep, shallow, 1), failsToBeatBy(deep, shallow, 1)));
    rows.push(
      text`c = ${c}: best lower rank ${describeMse(shallow)} at L = 1 (rank ${shallow.rank}), ${describeMse(deep)} at L = ${maxL} (rank ${deep.rank})`,
    );
  }
  return { verdict: combineVerdicts(verdicts), rows };
}

const sizes = (f: (b: Budget) => string | undefined): Partial<Record<Budget, string>> =>
  Object.fromEntries((['quick', 'standard', 'paper'] as const).flatMap((b) => (f(b) === undefined ? [] : [[b, f(b)]])));
const sizeNote = (b: Budget, L: number[], c: number[]) => {
  const s = SCALE[b];
  const r = RECIPES[b];
  const ranks = (copies: number) =>
    oneLayerHeads(b, copies)
      .map((h) => s.d / h)
      .join('/');
  const rankNote =
    b === 'quick' && c.length > 1
      ? `ranks ${ranks(1)} (c = 1), ${ranks(c[1])} (c > 1)`
      : `ranks ${headCounts(s.d)
          .map((h) => s.d / h)
          .join('/')}`;
  return `d = ${s.d}, N = ${s.n}, MLP ${s.mlpWidth}, L ∈ {${L.join(', ')}}, c ∈ {${c.join(', ')}}, ${rankNote}; ${r.steps} steps × batch ${r.batch}, ${SEEDS[b]} seed(s), ${r.evalSamples} fresh sequences`;
};

const oneLayer = defineCheck({
  name: 'one-layer-full-rank-wins',
  kind: 'experiment',
  description: `With one layer, the full-rank model (one head) beats every rank below d at every c by a factor ≥ ${WIDE_MARGIN}: its interval (hull over seeds of the 95% evaluation intervals) times ${WIDE_MARGIN} lies below every lower rank's.`,
  sizes: sizes((b) => sizeNote(b, [1], ONE_LAYER_COPIES[b])),
  sentinels: {
    'swapped-labels': 'the full-rank and rank-1 results swapped before the verdict',
    'secret-half-rank': 'a "full-rank" model that is really the trained rank-d/2 model',
  },
  async run(ctx, sentinel) {
    let results = await gridResults(FIGURE1_ID, oneLayerGrid(ctx.budget), ctx);
    const d = results[0].d;
    const full = pick(results, { rank: d, copies: 1 });
    if (sentinel === 'swapped-labels') results = substitute(results, full, pick(results, { rank: 1, copies: 1 }), true);
    if (sentinel === 'secret-half-rank')
      results = substitute(results, full, pick(results, { rank: d / 2, copies: 1 }), false);
    const v = oneLayerVerdict(results);
    const metrics: Record<string, number> = {};
    for (const r of results) Object.assign(metrics, settingMetrics(`L1_c${r.copies}_rank${r.rank}`, r));
    return {
      verdict: v.verdict,
      summary: text`one layer, MSE (mean [interval]): ${join(v.rows, '; ')} (${backendNote()})`,
      metrics,
      witnesses: results,
    };
  },
});

const depth = defineCheck({
  name: 'depth-narrows-gap',
  kind: 'experiment',
  description:
    'With more layers, every lower rank still loses to full rank (intervals apart), while the best lower rank at the deepest L beats the best lower rank at one layer: the gap narrows but stays.',
  sizes: sizes((b) => (DEEP_LAYERS[b].length ? sizeNote(b, [1, ...DEEP_LAYERS[b]], DEEP_COPIES[b]) : undefined)),
  sentinels: { 'reversed-depth': 'the one-layer and deepest results swapped, so that depth seems to hurt low rank' },
  async run(ctx, sentinel) {
    const copies = DEEP_COPIES[ctx.budget];
    let results = await gridResults(
      FIGURE1_ID,
      [...oneLayerGrid(ctx.budget).filter((s) => copies.includes(s.arch.copies)), ...deepGrid(ctx.budget)],
      ctx,
    );
    if (sentinel === 'reversed-depth') {
      const maxL = Math.max(...results.map((r) => r.layers));
      results = results.map((r) =>
        r.layers === 1 ? { ...r, layers: maxL } : r.layers === maxL ? { ...r, layers: 1 } : r,
      );
    }
    const v = depthVerdict(results);
    const metrics: Record<string, number> = {};
    for (const r of results) Object.assign(metrics, settingMetrics(`L${r.layers}_c${r.copies}_rank${r.rank}`, r));
    return { verdict: v.verdict, summary: text`${join(v.rows, '; ')} (${backendNote()})`, metrics, witnesses: results };
  },
});

const figure: FigureDef = {
  id: 'mse-vs-rank',
  title: 'Figure 1: MSE against rank on farthest neighbour',
  caption:
    'Exact float64 MSE on fresh sequences of trained transformers against the rank of their heads (H = d / rank), one series per layer count L and copy count c; bars: the hull over seeds of the 95% evaluation intervals. The paper: at one layer only full rank gets far below the trivial MSE 1.',
  budgets: ['quick', 'standard', 'paper'],
  build(ctx) {
    return mseAgainstRankFigure(
      FIGURE1_ID,
      [...oneLayerGrid(ctx.budget), ...deepGrid(ctx.budget)],
      ctx,
      (r) => `L = ${r.layers}, c = ${r.copies}`,
    );
  },
};

export const FIGURE1_EXPERIMENT: ExperimentDef = {
  claim: FIGURE1_ID,
  grid: (b) => [...oneLayerGrid(b), ...deepGrid(b)],
  verdict(results) {
    const one = oneLayerVerdict(results.filter((r) => r.layers === 1));
    const parts = [one.verdict];
    const rows = [...one.rows];
    if (results.some((r) => r.layers > 1)) {
      const deep = depthVerdict(results);
      parts.push(deep.verdict);
      rows.push(...deep.rows);
    }
    return { verdict: combineVerdicts(parts), summary: join(rows, '; ') };
  },
};

export const FIGURE1_CLAIM: Claim = {
  id: FIGURE1_ID,
  title: 'Full rank beats every lower rank on farthest neighbour',
  paperRef: 'arXiv 2407.16153, Section 7, Figure 1',
  statement:
    'Standard transformers (d = 64, N = 16, farthest-neighbour task): with one layer the full-rank model beats every rank below d at every parameter count (c = 1, 8, 64 copies) by a wide margin; with 3 and 5 layers the gap narrows but full rank still wins. The normalisation (ScaleNorm), the initialisation and the reduced quick/standard sizes are ours (proofs-notes/experiments.md).',
  reconstructed: true,
  sources: {
    proofNote: 'proofs-notes/figure-1.md',
    code: ['src/experiments/transformer.ts', 'src/experiments/forward64.ts', 'src/experiments/runs.ts'],
    checks: 'properties/figure-1/claim.ts',
  },
  checks: [oneLayer, depth],
  figures: [figure],
  keyResult: (checks) =>
    recordedKeyResult(FIGURE1_ID, checks, 'one layer, c = 1: full-rank MSE vs best lower rank', (rs) => {
      const one = rs.filter((r) => r.layers === 1 && r.copies === 1);
      const full = one.find((r) => r.rank === r.d)!;
      const low = one.filter((r) => r.rank < r.d).reduce((a, r) => (r.mse.mean < a.mse.mean ? r : a));
      return {
        value: full.mse.mean,
        text: text`${describeMse(full)} vs ${describeMse(low)} at rank ${low.rank} (d = ${full.d}, N = ${full.n})`,
      };
    }),
};
