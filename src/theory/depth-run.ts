/**
 * One seeded draw of Theorem 5's two-layer majority-vote network on D_2, simulated (what
 * `rankcheck depth` runs), beside the closed-form error averaged over head draws and the
 * one-layer bound for as many heads.
 */
import { Rng } from '../core/rng.js';
import { EMPTY_MOMENTS, meanInterval, mergeMoments, momentsOf } from '../core/stats.js';
import {
  buildDepthNetwork,
  DEFAULT_ADDITIVE_ALPHA,
  depthNetworkErrors,
  sampleDirections,
  type PositionalEncoding,
} from '../model/depth-network.js';
import { majorityVoteError } from './majority-vote.js';
import { rankLowerBound } from './rank-bound.js';

export interface DepthRunOptions {
  d: number;
  heads: number;
  positional: PositionalEncoding;
  samples: number;
  seed: number;
  /** Scale of the additive positions. */
  alpha?: number;
  signal?: AbortSignal;
}

export interface DepthRun {
  d: number;
  heads: number;
  positional: PositionalEncoding;
  alpha: number | null;
  samples: number;
  seed: number;
  /** Simulated D_2 error of this draw of the heads. */
  error: number;
  /** 95% empirical-Bernstein interval (errors lie in [0, 4]). */
  ci: [number, number];
  /** Closed-form error averaged over draws of the heads (concatenated positions only). */
  expectedError: number | null;
  /** LB(d, 1, H + 1): the least error of any one-layer rank-1 layer with as many heads. */
  oneLayerLowerBound: number;
  complete: boolean;
}

const DEPTH_CHUNK = 2048;

/** d ≥ 3, H ≥ 1, samples ≥ 2: simulates one seeded draw of the two-layer network on D_2; stops early (complete: false) on abort. */
export async function depthRun(o: DepthRunOptions): Promise<DepthRun> {
  const rng = Rng.fromSeed(o.seed);
  const directions = sampleDirections(rng.splitNamed('queries'), o.d, o.heads);
  const alpha = o.positional === 'additive' ? (o.alpha ?? DEFAULT_ADDITIVE_ALPHA) : undefined;
  const net = buildDepthNetwork({ d: o.d, n: 2, heads: o.heads, directions, positional: o.positional, alpha });
  let m = EMPTY_MOMENTS;
  for (let c = 0; c * DEPTH_CHUNK < o.samples; c++) {
    if (o.signal?.aborted) break;
    m = mergeMoments(
      m,
      momentsOf(depthNetworkErrors(net, rng.split(c), 'ortho', Math.min(DEPTH_CHUNK, o.samples - c * DEPTH_CHUNK))),
    );
    // Lets a Ctrl-C handler run between chunks.
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (m.count < 2) throw new RangeError('interrupted before two samples were finished');
  const ci = meanInterval(m, 0.95, 'bernstein', { range: 4, lowerLimit: 0 });
  return {
    d: o.d,
    heads: o.heads,
    positional: o.positional,
    alpha: alpha ?? null,
    samples: m.count,
    seed: o.seed,
    error: m.mean,
    ci: [ci.lo, ci.hi],
    expectedError: o.positional === 'concat' ? majorityVoteError(o.d, o.heads).value : null,
    oneLayerLowerBound: rankLowerBound(o.d, 1, Math.log10(o.heads + 1)).value,
    complete: m.count === o.samples,
  };
}
