/** The arcsin-kernel benchmarks' agreement vector: one more random rank-1 head as the target. */
import { Rng } from '../../src/core/rng.js';
import { sampleSphere } from '../../src/core/sphere.js';
import type { Rank1Heads } from '../../src/theory/arcsin-kernel.js';

/**
 * b_h = Pr[head h and a random target head choose alike] = ½ + (2/π²)·arcsin⟨q_h, q_t⟩·arcsin⟨k_h, k_t⟩,
 * the target's q_t, k_t uniform on S^{d−1} from `seed`; so the error is a genuine one in [0, 1].
 */
export function heldOutAgreement(heads: Rank1Heads, seed: number): Float64Array {
  const { d, count } = heads;
  const rng = Rng.fromSeed(seed);
  const qt = new Float64Array(d);
  const kt = new Float64Array(d);
  sampleSphere(rng, d, qt);
  sampleSphere(rng, d, kt);
  const clampAsin = (x: number) => Math.asin(Math.max(-1, Math.min(1, x)));
  const b = new Float64Array(count);
  for (let h = 0; h < count; h++) {
    let gq = 0;
    let gk = 0;
    for (let t = 0; t < d; t++) {
      gq += heads.q[h * d + t] * qt[t];
      gk += heads.k[h * d + t] * kt[t];
    }
    b[h] = 0.5 + (2 / Math.PI ** 2) * clampAsin(gq) * clampAsin(gk);
  }
  return b;
}
