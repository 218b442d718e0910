/**
 * Explicit attention layers from the paper and random layers for tests and benchmarks.
 */
import type { Rng } from '../core/rng.js';
import { MultiHeadAttention, type HeadWeights, type Normalisation } from './attention.js';

function identity(d: number, scale = 1): Float64Array {
  const m = new Float64Array(d * d);
  for (let k = 0; k < d; k++) m[k * d + k] = scale;
  return m;
}

/** d ≥ 1, β ≥ 0; Fact 1's single full-rank head: Q = βI, K = I (so QKᵀ = βI), V = I. */
export function fullRankHead(d: number, beta: number, normalisation: Normalisation = 'softmax'): MultiHeadAttention {
  if (!(beta >= 0 && Number.isFinite(beta))) throw new RangeError(`beta must be finite and ≥ 0 (got ${beta})`);
  return new MultiHeadAttention({
    d,
    r: d,
    normalisation,
    heads: [{ Q: identity(d, beta), K: identity(d), V: identity(d) }],
  });
}

/** Random weights with i.i.d. N(0, scale²/d) entries (V with N(0, 1/(H·d))), for tests and benchmarks. */
export function randomAttention(
  rng: Rng,
  d: number,
  r: number,
  heads: number,
  normalisation: Normalisation = 'softmax',
  scale = 1,
): MultiHeadAttention {
  const gauss = (len: number, sd: number) => {
    const a = new Float64Array(len);
    for (let i = 0; i < len; i++) a[i] = sd * rng.normal();
    return a;
  };
  const hs: HeadWeights[] = [];
  for (let h = 0; h < heads; h++) {
    hs.push({
      Q: gauss(d * r, scale / Math.sqrt(d)),
      K: gauss(d * r, scale / Math.sqrt(d)),
      V: gauss(d * d, 1 / Math.sqrt(heads * d)),
    });
  }
  return new MultiHeadAttention({ d, r, normalisation, heads: hs });
}
