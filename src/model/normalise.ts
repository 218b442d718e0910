/** Attention scores into weights: softmax, or hardmax with the targets' tie-breaking. */
import type { Normalisation } from './attention-spec.js';

/** In place: scores[0..n) → attention weights. Softmax subtracts the maximum, so β = 1e6 is finite. */
export function normalise(scores: Float64Array, n: number, how: Normalisation): void {
  normaliseAt(scores, 0, n, how);
}

/** normalise on scores[o .. o+n). */
export function normaliseAt(scores: Float64Array, o: number, n: number, how: Normalisation): void {
  let arg = 0;
  let max = scores[o];
  for (let i = 1; i < n; i++) {
    if (scores[o + i] > max) {
      max = scores[o + i];
      arg = i;
    }
  }
  if (how === 'hardmax' || max === Infinity) {
    // Lowest index among the maxima, matching the targets' tie-breaking.
    for (let i = 0; i < n; i++) scores[o + i] = i === arg ? 1 : 0;
    return;
  }
  if (Number.isNaN(max)) throw new RangeError('attention score is NaN');
  if (max === -Infinity) {
    // Every score is −∞: all are equal, so weigh them equally.
    for (let i = 0; i < n; i++) scores[o + i] = 1 / n;
    return;
  }
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const w = Math.exp(scores[o + i] - max);
    scores[o + i] = w;
    sum += w;
  }
  const inv = 1 / sum;
  for (let i = 0; i < n; i++) scores[o + i] *= inv;
}
