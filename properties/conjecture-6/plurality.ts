/**
 * Conjecture 6's two-sided check of its construction: the majority-vote network the degradation
 * check measures computes the plurality vote exactly, at every N and distribution of that check.
 */
import { join, text } from '../../src/core/format.js';
import { Rng } from '../../src/core/rng.js';
import { sampleContexts, type ContextDistribution } from '../../src/core/sphere.js';
import { defineCheck } from '../../src/core/vocabulary.js';
import {
  buildDepthNetwork,
  evaluateDepthNetwork,
  majorityVoteIndex,
  sampleDirections,
} from '../../src/model/depth-network.js';
import { CONSTRUCTION, CONSTRUCTION_SIZES, DISTS, type ConstructionGrid } from './construction-series.js';

/**
 * Per sample, the network's output against the point the plurality of its layer-1 heads picks
 * (majorityVoteIndex, a plain loop over heads and points): the count of samples where they differ.
 * Hardmax weights are exactly 0 and 1 and votes are integers, so a correct network returns the
 * picked point bit for bit; any difference is a fault.
 */
function pluralityMismatches(
  g: ConstructionGrid,
  directions: Float64Array,
  rng: Rng,
  dist: ContextDistribution,
  n: number,
  selection: 'hardmax' | 'softmax',
): number {
  const net = buildDepthNetwork({ d: g.d, n, heads: g.heads, directions, positional: 'concat', selection });
  const batch = sampleContexts(rng, dist, { d: g.d, n, size: g.samples });
  const out = evaluateDepthNetwork(net, batch.X, batch.Y, g.samples);
  const pick = majorityVoteIndex(directions, g.heads, batch.X, batch.Y, { size: g.samples, n, d: g.d });
  let mismatches = 0;
  for (let b = 0; b < g.samples; b++) {
    const x = (b * n + pick[b]) * g.d;
    for (let k = 0; k < g.d; k++) {
      if (out[b * g.d + k] !== batch.X[x + k]) {
        mismatches++;
        break;
      }
    }
  }
  return mismatches;
}

/*
 * The degradation check looks one way: a broken layer-2 selection (a softmax over vote counts in
 * place of the hardmax) blends more points as N grows, so its error rises with N and with it the
 * evidence for the conjecture. This check is two-sided: the construction must compute the
 * plurality vote exactly at every N the degradation check measures.
 */
export const constructionIsPlurality = defineCheck({
  name: 'construction-is-plurality-vote',
  kind: 'exact',
  description:
    'The majority-vote network the degradation check measures outputs, bit for bit, the point most of its layer-1 heads pick (a plain loop over heads and points), on every sample of every N and distribution of that check.',
  sizes: CONSTRUCTION_SIZES,
  sentinels: {
    'soft-selection':
      'layer 2 normalised by a softmax over the vote counts instead of the hardmax (a fault that makes the error grow with N)',
  },
  run(ctx, sentinel) {
    const g = CONSTRUCTION[ctx.budget];
    const root = Rng.fromSeed(ctx.claimSeed).splitNamed('plurality');
    const directions = sampleDirections(root.splitNamed('heads'), g.d, g.heads);
    const selection = sentinel === 'soft-selection' ? 'softmax' : 'hardmax';
    const rows = DISTS.flatMap((dist) =>
      g.ns.map((n) => ({
        dist,
        n,
        mismatches: pluralityMismatches(g, directions, root.splitNamed(`${dist}/${n}`), dist, n, selection),
      })),
    );
    const total = rows.reduce((s, r) => s + r.mismatches, 0);
    const metrics: Record<string, number> = { mismatches: total };
    for (const r of rows) metrics[`mismatches_${r.dist}_N${r.n}`] = r.mismatches;
    return {
      verdict: total === 0 ? 'holds' : 'violated',
      summary: text`${total} of ${rows.length * g.samples} samples differ from the plurality vote (${join(
        rows.map((r) => text`${r.dist} N=${r.n}: ${r.mismatches}`),
        ', ',
      )})`,
      metrics,
      witnesses: rows.filter((r) => r.mismatches > 0),
    };
  },
});
