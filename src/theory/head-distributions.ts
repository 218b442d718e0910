/**
 * How random rank-1 heads are drawn: the released script's distribution, the one it evidently
 * intended, and three reference families. Every draw is head by head, so the first H heads of a
 * draw of H' > H are a draw of H (the figure's curves add heads one at a time).
 */
import type { Rng } from '../core/rng.js';
import { sampleSphere } from '../core/sphere.js';
import { dot } from '../core/vector.js';
import { unitHeads, type RawHeads, type Rank1Heads } from './rank1-heads.js';

/**
 * 'paper': as the released script draws them (theory_experiments/optim_weight_linsolve.py of the
 *   authors' repository): q uniform, u uniform on [−1, 1], e uniform, e ← e − ⟨q, e⟩q (not
 *   re-normalised), k = u·q + √(1 − u²)·e. So ‖k‖ < 1 and the true cosine is u/‖k‖, not u.
 * 'paper-intended': the same with e re-normalised, so the cosine of the true angle is uniform.
 * 'bisector': k = (q + u)/‖q + u‖ with u uniform (≈ 45° in high d; this suite's figure before the
 *   paper's distribution was known: not the paper's).
 * 'aligned': k = q, the most informative single head. 'independent': k uniform (⟨q, k⟩ ≈ 0 in high
 *   d, where b → ½ and a head says almost nothing).
 */
export const HEAD_DISTRIBUTIONS = ['paper', 'paper-intended', 'bisector', 'aligned', 'independent'] as const;
export type HeadDistribution = (typeof HEAD_DISTRIBUTIONS)[number];

/** d ≥ 2, count ≥ 1; heads as drawn, before normalising (the paper's keys are shorter than 1). */
export function randomRawHeads(rng: Rng, d: number, count: number, distribution: HeadDistribution): RawHeads {
  const q = new Float64Array(count * d);
  const k = new Float64Array(count * d);
  const e = new Float64Array(d);
  for (let h = 0; h < count; h++) {
    const o = h * d;
    sampleSphere(rng, d, q, o);
    if (distribution === 'aligned') {
      k.set(q.subarray(o, o + d), o);
    } else if (distribution === 'paper' || distribution === 'paper-intended') {
      const u = 2 * rng.nextDouble() - 1;
      sampleSphere(rng, d, e);
      const qe = dot(q, o, e, 0, d);
      for (let j = 0; j < d; j++) e[j] -= qe * q[o + j];
      const scale = distribution === 'paper-intended' ? 1 / Math.sqrt(dot(e, 0, e, 0, d)) : 1;
      const s = Math.sqrt(Math.max(0, 1 - u * u)) * scale;
      for (let j = 0; j < d; j++) k[o + j] = u * q[o + j] + s * e[j];
    } else {
      sampleSphere(rng, d, k, o);
      if (distribution === 'bisector') for (let j = 0; j < d; j++) k[o + j] += q[o + j];
    }
  }
  return { d, count, q, k };
}

/** d ≥ 2, count ≥ 1; random heads as unit directions (what hardmax heads compute with). */
export function randomRank1Heads(rng: Rng, d: number, count: number, distribution: HeadDistribution): Rank1Heads {
  return unitHeads(randomRawHeads(rng, d, count, distribution));
}
