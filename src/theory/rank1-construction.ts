/**
 * Exact constructions from above for Theorem 2: H rank-1 hardmax heads (q_h, k_h) whose output
 * Σ_h a_h x_{c_h} has D_2 error 1 − 2aᵀb + aᵀCa, minimised by a = C⁻¹b at 1 − bᵀC⁻¹b
 * (C: arcsin kernel, b: agreement vector). Also the heads themselves as an attention layer, so
 * that Monte Carlo can run the real thing, and the families of heads the checks use.
 */
import { MultiHeadAttention } from '../model/attention.js';
import { agreementProbability } from './agreement.js';
import {
  normaliseHeads,
  optimalError,
  type OptimalError,
  type Rank1Heads,
  type SolveOptions,
} from './arcsin-kernel.js';

/** b_h = Pr[head h picks the nearest point] for every head (d ≥ 2). */
export function agreementVector(heads: Rank1Heads): Float64Array {
  const { d, count, q, k } = heads;
  const b = new Float64Array(count);
  for (let h = 0; h < count; h++) {
    let c = 0;
    for (let j = 0; j < d; j++) c += q[h * d + j] * k[h * d + j];
    b[h] = agreementProbability(d, c);
  }
  return b;
}

export interface ConstructionResult extends OptimalError {
  /** b, the agreement vector. */
  agreement: Float64Array;
}

/** The optimal output weights for these heads and the exact D_2 error they reach. */
export function constructionError(heads: Rank1Heads, options: SolveOptions = {}): ConstructionResult {
  const agreement = agreementVector(heads);
  return { ...optimalError(heads, agreement, options), agreement };
}

/**
 * The heads as a hardmax attention layer: Q_h = q_h, K_h = k_h (rank 1), V_h = a_h·I, so its
 * output is Σ_h a_h x_{c_h}. Scores ⟨q_h,y⟩⟨k_h,x_i⟩ pick x_1 exactly when the rule above does.
 */
export function rank1HardmaxLayer(heads: Rank1Heads, weights: ArrayLike<number>): MultiHeadAttention {
  const { d, count } = heads;
  const layerHeads = [];
  for (let h = 0; h < count; h++) {
    const V = new Float64Array(d * d);
    for (let j = 0; j < d; j++) V[j * d + j] = weights[h];
    layerHeads.push({ Q: heads.q.slice(h * d, (h + 1) * d), K: heads.k.slice(h * d, (h + 1) * d), V });
  }
  return new MultiHeadAttention({ d, r: 1, normalisation: 'hardmax', heads: layerHeads });
}

/** count ≥ 1; q_h = k_h at angles πh/count on the circle (d = 2): the evenly spread aligned heads. */
export function equallySpacedHeads2(count: number): Rank1Heads {
  const vs = Array.from({ length: count }, (_, h) => [
    Math.cos((Math.PI * h) / count),
    Math.sin((Math.PI * h) / count),
  ]);
  return normaliseHeads(2, vs, vs);
}

/** count ≥ 1; q_h = k_h on a Fibonacci lattice of the upper hemisphere (d = 3): evenly spread aligned heads. */
export function equallySpacedHeads3(count: number): Rank1Heads {
  const golden = Math.PI * (3 - Math.sqrt(5));
  const vs = Array.from({ length: count }, (_, h) => {
    const z = 1 - (h + 0.5) / count; // heights evenly spaced in (0, 1): area-uniform on the hemisphere
    const rho = Math.sqrt(1 - z * z);
    return [rho * Math.cos(golden * h), rho * Math.sin(golden * h), z];
  });
  return normaliseHeads(3, vs, vs);
}

/**
 * A few steps of projected gradient descent on the exact error 1 − bᵀC⁻¹b over all head vectors
 * (central-difference gradient, backtracking step, renormalised onto the sphere): heads pushed
 * towards the best rank-1 construction, to test the bound where it is tightest.
 */
export function optimiseHeads(start: Rank1Heads, steps: number): { heads: Rank1Heads; error: number } {
  const { d, count } = start;
  let q = Float64Array.from(start.q);
  let k = Float64Array.from(start.k);
  const errorOf = (qq: Float64Array, kk: Float64Array) =>
    constructionError(rebuild(d, count, qq, kk), { method: 'cholesky' }).error;
  let current = errorOf(q, k);
  let step = 0.5;
  for (let s = 0; s < steps; s++) {
    const gq = new Float64Array(q.length);
    const gk = new Float64Array(k.length);
    const h = 1e-6;
    for (const [v, g] of [
      [q, gq],
      [k, gk],
    ] as const) {
      for (let i = 0; i < v.length; i++) {
        const keep = v[i];
        v[i] = keep + h;
        const up = errorOf(q, k);
        v[i] = keep - h;
        const down = errorOf(q, k);
        v[i] = keep;
        g[i] = (up - down) / (2 * h);
      }
    }
    let improved = false;
    while (step > 1e-6) {
      const nq = q.map((x, i) => x - step * gq[i]);
      const nk = k.map((x, i) => x - step * gk[i]);
      const cand = rebuild(d, count, nq, nk);
      const e = constructionError(cand, { method: 'cholesky' }).error;
      if (e < current) {
        q = Float64Array.from(cand.q);
        k = Float64Array.from(cand.k);
        current = e;
        step *= 1.5;
        improved = true;
        break;
      }
      step /= 2;
    }
    if (!improved) break;
  }
  return { heads: rebuild(d, count, q, k), error: current };
}

function rebuild(d: number, count: number, q: Float64Array, k: Float64Array): Rank1Heads {
  const rows = (a: Float64Array) => Array.from({ length: count }, (_, h) => a.subarray(h * d, (h + 1) * d));
  return normaliseHeads(d, rows(q), rows(k));
}
