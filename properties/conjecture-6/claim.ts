/**
 * Conjecture 6: no fixed-size low-rank multi-layer transformer approximates nearest neighbour for
 * every N; the constructions degrade as N grows. A conjecture is not proved by tests: the checks
 * report whether the evidence at the tested sizes supports it ("holds": supported; "violated":
 * the low-rank models match the full-rank head at the longest context, so not supported).
 */
import { fixed, interval, join, text, type Template } from '../../src/core/format.js';
import { getOrCompute } from '../../src/core/memo.js';
import { Rng } from '../../src/core/rng.js';
import type { ContextDistribution } from '../../src/core/sphere.js';
import { meanInterval, momentsOf } from '../../src/core/stats.js';
import { combineVerdicts } from '../../src/core/verdicts.js';
import {
  BUDGETS,
  defineCheck,
  type Budget,
  type CheckDef,
  type Claim,
  type FigureDef,
  type Verdict,
} from '../../src/core/vocabulary.js';
import { fullRankHead } from '../../src/model/constructions.js';
import { buildDepthNetwork, depthNetworkErrors, sampleDirections } from '../../src/model/depth-network.js';
import { sampleErrors } from '../../src/model/monte-carlo.js';

/** A measured error with its interval. */
export interface Measured {
  n: number;
  error: number;
  ci: [number, number];
}

const LEVEL = 0.999;

function measured(n: number, errors: Float64Array): Measured {
  const m = momentsOf(errors);
  const ci = meanInterval(m, LEVEL, 'normal', { lowerLimit: 0 });
  return { n, error: m.mean, ci: [ci.lo, ci.hi] };
}

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

interface ConstructionGrid {
  d: number;
  heads: number;
  ns: number[];
  samples: number;
}

const CONSTRUCTION: Record<Budget, ConstructionGrid> = {
  quick: { d: 8, heads: 63, ns: [2, 4, 8], samples: 2000 },
  standard: { d: 16, heads: 255, ns: [2, 4, 8, 16], samples: 5000 },
  paper: { d: 32, heads: 255, ns: [2, 4, 8, 16, 32], samples: 20_000 },
};
const DISTS: ContextDistribution[] = ['unif', 'ortho'];
/** The full-rank reference: Fact 1's head, softmax at β = 100. */
const REFERENCE_BETA = 100;

const constructionMemo = new Map<string, { dist: ContextDistribution; lowRank: Measured[]; fullRank: Measured[] }[]>();

function constructionSeries(budget: Budget, seed: number) {
  return getOrCompute(constructionMemo, `${budget}/${seed}`, () => {
    const g = CONSTRUCTION[budget];
    const root = Rng.fromSeed(seed);
    const directions = sampleDirections(root.splitNamed('heads'), g.d, g.heads);
    const head = fullRankHead(g.d, REFERENCE_BETA);
    return DISTS.map((dist) => ({
      dist,
      lowRank: g.ns.map((n) =>
        measured(
          n,
          depthNetworkErrors(
            buildDepthNetwork({ d: g.d, n, heads: g.heads, directions, positional: 'concat' }),
            root.splitNamed(`${dist}/${n}`),
            dist,
            g.samples,
          ),
        ),
      ),
      fullRank: g.ns.map((n) =>
        measured(
          n,
          sampleErrors(head, { target: { kind: 'nearest' }, dist, n }, root.splitNamed(`full/${dist}/${n}`), g.samples),
        ),
      ),
    }));
  });
}

const f3 = (x: number | null) => fixed(x, 3);
const describe = (s: readonly Measured[]): Template =>
  text`${s.map((m) => text`N=${m.n}: ${f3(m.error)} ${interval(m.ci[0], m.ci[1], f3)}`)}`;

const constructionDegrades = defineCheck({
  name: 'construction-degrades-with-n',
  kind: 'statistical',
  description:
    'Theorem 5’s majority-vote network (plurality over N points; fixed d and H) on unif and D_N contexts: its error at the longest context is above its error at N = 2 and above one full-rank head’s (Fact 1, β = 100), intervals apart at level 0.999.',
  sizes: Object.fromEntries(
    BUDGETS.map((b) => [
      b,
      `d = ${CONSTRUCTION[b].d}, H = ${CONSTRUCTION[b].heads}, N ∈ {${CONSTRUCTION[b].ns.join(', ')}}, ${CONSTRUCTION[b].samples} samples each`,
    ]),
  ) as CheckDef['sizes'],
  sentinels: { 'full-rank-as-low-rank': 'the full-rank head’s errors reported as the low-rank construction’s' },
  run(ctx, sentinel) {
    const rows = constructionSeries(ctx.budget, ctx.claimSeed).map((r) =>
      sentinel === 'full-rank-as-low-rank' ? { ...r, lowRank: r.fullRank } : r,
    );
    const verdicts = rows.map((r) => degradationVerdict(r.lowRank, r.fullRank));
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
      level: LEVEL,
    };
  },
});

interface TrainedGrid {
  d: number;
  ns: number[];
  ranks: number[];
  heads: number;
  dists: ContextDistribution[];
  steps: number;
  evalSamples: number;
}

const TRAINED: Record<Budget, TrainedGrid> = {
  quick: { d: 8, ns: [2, 8], ranks: [1], heads: 4, dists: ['unif'], steps: 250, evalSamples: 10_000 },
  standard: { d: 16, ns: [2, 4, 8, 16], ranks: [1, 2], heads: 4, dists: ['unif'], steps: 1500, evalSamples: 20_000 },
  paper: {
    d: 32,
    ns: [2, 4, 8, 16, 32],
    ranks: [1, 2, 4],
    heads: 8,
    dists: ['unif', 'ortho'],
    steps: 10_000,
    evalSamples: 50_000,
  },
};
const TRAIN_BATCH = 256;
const TRAIN_RATE = 0.01;

interface TrainedSeries {
  dist: ContextDistribution;
  rank: number;
  lowRank: Measured[];
  fullRank: Measured[];
}

const trainedMemo = new Map<string, Promise<{ series: TrainedSeries[]; backend: string }>>();

function trainedSeries(budget: Budget, seed: number) {
  return getOrCompute(trainedMemo, `${budget}/${seed}`, async () => {
    const { useBackend } = await import('../../src/training/backend.js');
    const { train } = await import('../../src/search/train.js');
    const { toFloat64Layer } = await import('../../src/search/trainable-attention.js');
    const { trainTwoLayer, twoLayerErrors } = await import('../../src/search/two-layer.js');
    const backend = await useBackend();
    const g = TRAINED[budget];
    const root = Rng.fromSeed(seed);
    const series: TrainedSeries[] = [];
    for (const dist of g.dists) {
      // One trained full-rank head per N: the reference every rank is compared with.
      const fullRank = g.ns.map((n) => {
        const s = root.splitNamed(`full/${dist}/${n}`);
        const t = train({
          shape: { d: g.d, r: g.d, heads: 1, n, variant: 'plain' },
          dist,
          steps: g.steps,
          batch: TRAIN_BATCH,
          learningRate: TRAIN_RATE,
          initScale: 1,
          seed: s.nextUint32(),
        });
        return measured(
          n,
          sampleErrors(
            toFloat64Layer(t.weights),
            { target: { kind: 'nearest' }, dist, n },
            s.splitNamed('eval'),
            g.evalSamples,
          ),
        );
      });
      for (const rank of g.ranks) {
        const lowRank = g.ns.map((n) => {
          const s = root.splitNamed(`two-layer/${dist}/${rank}/${n}`);
          const w = trainTwoLayer({
            shape: { d: g.d, n, r: rank, heads: g.heads },
            dist,
            steps: g.steps,
            batch: TRAIN_BATCH,
            learningRate: TRAIN_RATE,
            initScale: 1,
            seed: s.nextUint32(),
          });
          return measured(n, twoLayerErrors(w, s.splitNamed('eval'), dist, g.evalSamples));
        });
        series.push({ dist, rank, lowRank, fullRank });
      }
    }
    return { series, backend };
  });
}

const trainedDegrades = defineCheck({
  name: 'trained-two-layer-degrades',
  kind: 'search',
  description:
    'Two-layer rank-r attention with concatenated positions, trained with Adam at fixed size (d, r, H), scored exactly: its error at the longest context is above its error at N = 2 and above one trained full-rank head’s, intervals apart at level 0.999.',
  sizes: Object.fromEntries(
    BUDGETS.map((b) => {
      const g = TRAINED[b];
      return [
        b,
        `d = ${g.d}, H = ${g.heads}, r ∈ {${g.ranks.join(', ')}}, N ∈ {${g.ns.join(', ')}}, ${g.dists.join(' + ')}, ${g.steps} steps`,
      ];
    }),
  ) as CheckDef['sizes'],
  sentinels: {
    'full-rank-as-low-rank': 'the trained full-rank head’s errors reported as the two-layer low-rank model’s',
  },
  async run(ctx, sentinel) {
    const trained = await trainedSeries(ctx.budget, ctx.claimSeed);
    const backend = trained.backend;
    const series = trained.series.map((s) =>
      sentinel === 'full-rank-as-low-rank' ? { ...s, lowRank: s.fullRank } : s,
    );
    const verdicts = series.map((s) => degradationVerdict(s.lowRank, s.fullRank));
    const metrics: Record<string, number> = {};
    for (const s of series) for (const m of s.lowRank) metrics[`twoLayer_${s.dist}_r${s.rank}_N${m.n}`] = m.error;
    for (const s of series.filter((x) => x.rank === series[0].rank))
      for (const m of s.fullRank) metrics[`fullRankHead_${s.dist}_N${m.n}`] = m.error;
    return {
      verdict: combineVerdicts(verdicts),
      summary: text`${join(
        series.map(
          (s) => text`${s.dist}, rank ${s.rank}: ${describe(s.lowRank)}; full-rank head ${describe(s.fullRank)}`,
        ),
        ' | ',
      )} (backend ${backend})`,
      metrics,
      level: LEVEL,
    };
  },
});

const longContextFigure: FigureDef = {
  id: 'error-vs-context-length',
  title: 'Conjecture 6: low-rank constructions and trained models against the context length N',
  caption:
    'Nearest-neighbour error against N at fixed size: the majority-vote network (unif and D_N), trained two-layer low-rank models, and one full-rank head (Fact 1 at β = 100, and trained). Intervals at level 0.999.',
  budgets: BUDGETS,
  async build(ctx) {
    const pts = (s: readonly Measured[]) => s.map((m) => ({ x: m.n, y: m.error, lo: m.ci[0], hi: m.ci[1] }));
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
          points: pts(s.lowRank),
        })),
        ...series
          .filter((s) => s.rank === series[0].rank)
          .map((s) => ({
            name: `trained full-rank head, ${s.dist}`,
            group: `trained ${s.dist}`,
            style: 'line' as const,
            points: pts(s.fullRank),
          })),
      ],
    };
  },
};

export const CONJECTURE6_CLAIM: Claim = {
  id: 'conjecture-6',
  title: 'No fixed low-rank transformer handles every context length',
  paperRef: 'arXiv 2407.16153, Conjecture 6',
  statement:
    'No fixed-size low-rank multi-layer transformer approximates the nearest-neighbour target for every N; the constructions above degrade as N grows. A conjecture cannot be proved by tests: "holds" means the evidence at the tested sizes supports it (the low-rank error grows with N and stays above one full-rank head’s), "violated" that it does not (no gap to full rank at the longest context).',
  reconstructed: false,
  sources: {
    proofNote: 'proofs-notes/conjecture-6.md',
    code: ['src/model/depth-network.ts', 'src/search/two-layer.ts', 'src/model/monte-carlo.ts'],
    checks: 'properties/conjecture-6/claim.ts',
  },
  checks: [constructionDegrades, trainedDegrades],
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
