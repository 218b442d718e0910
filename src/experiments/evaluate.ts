/**
 * Scoring a trained transformer exactly: the float64 forward pass on fresh sequences (a stream the
 * training never drew from), the loss per sequence (mean over its scored tokens of the squared
 * error summed over coordinates: the paper's scale, on which the predictor 0 scores 1 for the
 * farthest task), and a 95% CLT interval over sequences.
 */
import { Rng } from '../core/rng.js';
import { meanInterval, momentsOf } from '../core/stats.js';
import { forwardSequence } from './forward64.js';
import { outputDim, sampleTask, scoredTokens, type TaskSpec } from './tasks.js';
import type { TransformerWeights } from './weights.js';

export interface Evaluation {
  mse: number;
  ci: [number, number];
  level: number;
  samples: number;
}

export const EVAL_LEVEL = 0.95;

/** Per-sequence losses of `w` on `samples` fresh sequences of `task` from stream `rng`. */
export function sequenceLosses(
  w: TransformerWeights,
  task: TaskSpec,
  rng: Rng,
  samples: number,
  target: 'farthest' | 'nearest' = 'farthest',
): Float64Array {
  const batch = sampleTask(task, rng, samples, target);
  const n = task.n;
  const inDim = batch.tokens.length / (samples * n);
  const p = outputDim(task);
  const last = scoredTokens(task) === 'last';
  const losses = new Float64Array(samples);
  for (let s = 0; s < samples; s++) {
    const out = forwardSequence(w, batch.tokens, s * n * inDim);
    let total = 0;
    const from = last ? n - 1 : 0;
    for (let j = from; j < n; j++) {
      const t = last ? s * p : (s * n + j) * p;
      for (let k = 0; k < p; k++) total += (out[j * p + k] - batch.targets[t + k]) ** 2;
    }
    losses[s] = total / (n - from);
  }
  return losses;
}

/** Mean loss with its interval on `samples` fresh sequences drawn from Rng.fromSeed(seed).splitNamed('eval'). */
export function evaluateTransformer(
  w: TransformerWeights,
  task: TaskSpec,
  seed: number,
  samples: number,
  target: 'farthest' | 'nearest' = 'farthest',
): Evaluation {
  const losses = sequenceLosses(w, task, Rng.fromSeed(seed).splitNamed('eval'), samples, target);
  const m = momentsOf(losses);
  const iv = meanInterval(m, EVAL_LEVEL, 'normal', { lowerLimit: 0 });
  return { mse: m.mean, ci: [iv.lo, iv.hi], level: EVAL_LEVEL, samples };
}
