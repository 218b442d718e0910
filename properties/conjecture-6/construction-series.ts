/**
 * The grid Conjecture 6's construction checks and figure measure at each budget (Theorem 5's
 * majority-vote network beside one full-rank head, over N), and its measured series, computed
 * once per budget and seed in a run.
 */
import { getOrCompute } from '../../src/core/memo.js';
import { runScopedCache } from '../../src/core/run-cache.js';
import { Rng } from '../../src/core/rng.js';
import type { ContextDistribution } from '../../src/core/sphere.js';
import { BUDGETS, type Budget, type CheckDef } from '../../src/core/vocabulary.js';
import { fullRankHead } from '../../src/model/constructions.js';
import { buildDepthNetwork, depthNetworkErrors, sampleDirections } from '../../src/model/depth-network.js';
import { sampleErrors } from '../../src/model/monte-carlo.js';
import { measured, type Measured } from './measured.js';

export interface ConstructionGrid {
  d: number;
  heads: number;
  ns: number[];
  samples: number;
}

export const CONSTRUCTION: Record<Budget, ConstructionGrid> = {
  quick: { d: 8, heads: 63, ns: [2, 4, 8], samples: 2000 },
  standard: { d: 16, heads: 255, ns: [2, 4, 8, 16], samples: 2000 },
  paper: { d: 32, heads: 255, ns: [2, 4, 8, 16, 32], samples: 20_000 },
};
/** The grid both construction checks measure at each budget. */
export const CONSTRUCTION_SIZES = Object.fromEntries(
  BUDGETS.map((b) => [
    b,
    `d = ${CONSTRUCTION[b].d}, H = ${CONSTRUCTION[b].heads}, N ∈ {${CONSTRUCTION[b].ns.join(', ')}}, ${CONSTRUCTION[b].samples} samples each`,
  ]),
) as CheckDef['sizes'];
export const DISTS: ContextDistribution[] = ['unif', 'ortho'];
/** The full-rank reference: Fact 1's head, softmax at β = 100. */
export const REFERENCE_BETA = 100;

/** One distribution's series: the majority-vote network's and the full-rank head's errors, one per N. */
export interface ConstructionRow {
  dist: ContextDistribution;
  lowRank: Measured[];
  fullRank: Measured[];
}

const constructionMemo = runScopedCache<string, ConstructionRow[]>();

/** The measured series of the budget's grid, one row per distribution, drawn from `seed`; memoised within a run. */
export function constructionSeries(budget: Budget, seed: number): ConstructionRow[] {
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
