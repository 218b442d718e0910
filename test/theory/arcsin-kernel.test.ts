import { Matrix, solve } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { sampleContexts } from '../../src/core/sphere.js';
import { binomialTest, bonferroniLevel } from '../../src/core/stats.js';
import {
  errorForWeights,
  kernelMatrix,
  kernelMatrixParallel,
  kernelMatVec,
  normaliseHeads,
  optimalError,
  prefixHeads,
  solveKernel,
  type Rank1Heads,
} from '../../src/theory/arcsin-kernel.js';
import { randomRank1Heads } from '../../src/theory/head-distributions.js';

/** H heads with q, k independent and uniform on S^{d−1}. */
const randomHeads = (rng: Rng, d: number, H: number): Rank1Heads => randomRank1Heads(rng, d, H, 'independent');

/** A stand-in agreement vector in [0.2, 0.8]^H (not a consistent one: 1 − bᵀC⁻¹b may be negative). */
function standInAgreement(heads: Rank1Heads): Float64Array {
  const { d, count } = heads;
  const b = new Float64Array(count);
  for (let h = 0; h < count; h++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += heads.q[h * d + t] * heads.k[h * d + t];
    b[h] = 0.5 + 0.3 * s;
  }
  return b;
}

/**
 * H heads and the agreement vector of a further, held-out rank-1 head taken as the target: then
 * b_h = C_{h,target} is consistent and the error (of predicting the target's choice) is in [0, 1].
 */
function headsWithTarget(rng: Rng, d: number, H: number): { heads: Rank1Heads; b: Float64Array } {
  const all = randomHeads(rng, d, H + 1);
  const C = kernelMatrix(all);
  const b = new Float64Array(H);
  for (let h = 0; h < H; h++) b[h] = C[h * (H + 1) + H];
  return { heads: prefixHeads(all, H), b };
}

/** Exact closed form: C = 1 − (θ_q + θ_k)/π + 2θ_qθ_k/π² with θ the angles between the vectors. */
function fromAngles(thetaQ: number, thetaK: number): number {
  return 1 - (thetaQ + thetaK) / Math.PI + (2 * thetaQ * thetaK) / (Math.PI * Math.PI);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function denseTimes(C: Float64Array, H: number, v: ArrayLike<number>): Float64Array {
  const out = new Float64Array(H);
  for (let i = 0; i < H; i++) {
    let s = 0;
    for (let j = 0; j < H; j++) s += C[i * H + j] * v[j];
    out[i] = s;
  }
  return out;
}

describe('normaliseHeads and prefixHeads', () => {
  it('scales every q and k to unit length, including entries near overflow and underflow', () => {
    const heads = normaliseHeads(
      3,
      [
        [3, 4, 0],
        [1e200, 1e200, 0],
        [1e-200, 0, 0],
      ],
      [
        [0, 0, 2],
        [1, 1, 1],
        [-5e-310, 0, 0],
      ],
    );
    expect(Array.from(heads.q.subarray(0, 3))).toEqual([0.6, 0.8, 0]); // 3/5, 4/5 correctly rounded
    for (const v of [heads.q, heads.k]) {
      for (let h = 0; h < 3; h++) {
        const n2 = v[h * 3] ** 2 + v[h * 3 + 1] ** 2 + v[h * 3 + 2] ** 2;
        expect(Math.abs(n2 - 1)).toBeLessThan(4e-16);
      }
    }
  });

  it('rejects mismatched lengths, non-finite entries and zero vectors, naming the head and the vector', () => {
    expect(() => normaliseHeads(2, [[1, 0]], [])).toThrow(RangeError);
    expect(() =>
      normaliseHeads(
        2,
        [
          [1, 0],
          [1, 2, 3],
        ],
        [
          [1, 0],
          [0, 1],
        ],
      ),
    ).toThrow(/head 1: q has length 3, expected d = 2/);
    expect(() =>
      normaliseHeads(
        2,
        [
          [1, 0],
          [1, 2],
        ],
        [
          [1, 0],
          [0, NaN],
        ],
      ),
    ).toThrow(/head 1: k\[1\] is not finite/);
    expect(() =>
      normaliseHeads(
        2,
        [
          [1, 0],
          [1, Infinity],
        ],
        [
          [1, 0],
          [0, 1],
        ],
      ),
    ).toThrow(/head 1: q\[1\] is not finite/);
    expect(() => normaliseHeads(2, [[0, 0]], [[0, 1]])).toThrow(/head 0: q is the zero vector/);
    expect(() => normaliseHeads(2, [[1, 0]], [[0, -0]])).toThrow(/head 0: k is the zero vector/);
    expect(() => normaliseHeads(0, [[]], [[]])).toThrow(RangeError);
    expect(() => normaliseHeads(2, [], [])).toThrow(RangeError);
  });

  it('a prefix is a view of the first heads, and its kernel is the top-left block of the full kernel', () => {
    const heads = randomHeads(Rng.fromSeed(1), 5, 100);
    const prefix = prefixHeads(heads, 61);
    expect(prefix.q.buffer).toBe(heads.q.buffer);
    const full = kernelMatrix(heads);
    const part = kernelMatrix(prefix);
    const block = Float64Array.from({ length: 61 * 61 }, (_, n) => full[Math.floor(n / 61) * 100 + (n % 61)]);
    expect(part).toEqual(block);
    expect(() => prefixHeads(heads, 0)).toThrow(RangeError);
    expect(() => prefixHeads(heads, 101)).toThrow(RangeError);
  });
});

describe('the kernel C', () => {
  it('is symmetric with unit diagonal and entries in [0, 1] (H = 157, d = 7: no dimension a multiple of a tile)', () => {
    const H = 157;
    const C = kernelMatrix(randomHeads(Rng.fromSeed(2), 7, H));
    const bad: string[] = [];
    for (let i = 0; i < H; i++) {
      if (C[i * H + i] !== 1) bad.push(`C[${i}][${i}] = ${C[i * H + i]}`);
      for (let j = 0; j < H; j++) {
        const c = C[i * H + j];
        if (c !== C[j * H + i] || !(c >= 0 && c <= 1))
          bad.push(`C[${i}][${j}] = ${c}, C[${j}][${i}] = ${C[j * H + i]}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('matches the closed form from the angles for d = 2, where q = (cos φ, sin φ)', () => {
    const rng = Rng.fromSeed(3);
    const H = 60;
    const phiQ = Array.from({ length: H }, () => 2 * Math.PI * rng.nextDouble());
    const phiK = Array.from({ length: H }, () => 2 * Math.PI * rng.nextDouble());
    const heads = normaliseHeads(
      2,
      phiQ.map((p) => [Math.cos(p), Math.sin(p)]),
      phiK.map((p) => [Math.cos(p), Math.sin(p)]),
    );
    const C = kernelMatrix(heads);
    // The angle between two directions in the plane is |φ − φ'| folded into [0, π].
    const angle = (a: number, b: number) => {
      const t = Math.abs(a - b) % (2 * Math.PI);
      return Math.min(t, 2 * Math.PI - t);
    };
    let worst = 0;
    for (let i = 0; i < H; i++) {
      for (let j = 0; j < H; j++)
        worst = Math.max(worst, Math.abs(C[i * H + j] - fromAngles(angle(phiQ[i], phiQ[j]), angle(phiK[i], phiK[j]))));
    }
    // Both sides are O(1) expressions with a few roundings (cos/sin of φ, the chord or arcsin):
    // 2e-15 is ~10 ulps.
    expect(worst).toBeLessThan(2e-15);
  });

  it('stays accurate for nearly identical or opposite heads, where arcsin⟨q, q′⟩ is ill-conditioned', () => {
    // Rotating by θ = 1e-7 gives ⟨q, q′⟩ = 1 − 5e-15: evaluated as arcsin of the rounded inner
    // product, C would be off by ≈ 1e-9; the chord formula keeps it to rounding level.
    for (const theta of [1e-7, 1e-4, 0.3]) {
      for (const flip of [1, -1]) {
        const q = [1, 0, 0];
        const q2 = [flip * Math.cos(theta), flip * Math.sin(theta), 0];
        const k = [0, 0, 1];
        const k2 = [0, Math.sin(2 * theta), Math.cos(2 * theta)];
        const C = kernelMatrix(normaliseHeads(3, [q, q2], [k, k2]));
        const thetaQ = flip > 0 ? theta : Math.PI - theta;
        expect(Math.abs(C[1] - fromAngles(thetaQ, 2 * theta)), `θ=${theta} flip=${flip}`).toBeLessThan(1e-15);
      }
    }
    // Duplicated heads (and a head with both vectors negated, which chooses identically) agree surely.
    const C = kernelMatrix(
      normaliseHeads(
        2,
        [
          [1, 2],
          [1, 2],
          [-1, -2],
        ],
        [
          [3, -1],
          [3, -1],
          [-3, 1],
        ],
      ),
    );
    expect([C[1], C[2], C[5]]).toEqual([1, 1, 1]);
  });

  it('is the probability that two heads choose alike on D_2, by Monte Carlo within a binomial test', () => {
    // Family-wise false-alarm probability ≤ 1e-6: each of the 15 pairs is tested at 1e-6/15.
    const d = 3;
    const H = 6;
    const n = 40_000;
    const rng = Rng.fromSeed(4);
    const heads = randomHeads(rng, d, H);
    const C = kernelMatrix(heads);
    const batch = sampleContexts(rng.splitNamed('D_2'), 'ortho', { d, n: 2, size: n });
    const agree = new Int32Array(H * H);
    const choice = new Int8Array(H);
    for (let s = 0; s < n; s++) {
      for (let h = 0; h < H; h++) {
        let qy = 0;
        let kw = 0;
        for (let t = 0; t < d; t++) {
          qy += heads.q[h * d + t] * batch.Y[s * d + t];
          kw += heads.k[h * d + t] * (batch.X[s * 2 * d + t] - batch.X[s * 2 * d + d + t]);
        }
        choice[h] = qy * kw > 0 ? 1 : 0;
      }
      for (let i = 0; i < H; i++) for (let j = i + 1; j < H; j++) if (choice[i] === choice[j]) agree[i * H + j]++;
    }
    const alpha = 1 - bonferroniLevel(1 - 1e-6, (H * (H - 1)) / 2);
    let sentinelMin = 1;
    for (let i = 0; i < H; i++) {
      for (let j = i + 1; j < H; j++) {
        expect(binomialTest(agree[i * H + j], n, C[i * H + j]).pValue, `pair ${i},${j}`).toBeGreaterThan(alpha);
        // Sentinel: the linear kernel ½ + ½⟨q,q′⟩⟨k,k′⟩ (arcsin dropped) must be rejected by the same test.
        let gq = 0;
        let gk = 0;
        for (let t = 0; t < d; t++) {
          gq += heads.q[i * d + t] * heads.q[j * d + t];
          gk += heads.k[i * d + t] * heads.k[j * d + t];
        }
        sentinelMin = Math.min(sentinelMin, binomialTest(agree[i * H + j], n, 0.5 + 0.5 * gq * gk).pValue);
      }
    }
    expect(sentinelMin).toBeLessThan(alpha);
  });

  it('built on two worker threads (compiled code, see npm run build), is bit-identical to the one-thread build', async () => {
    const heads = randomHeads(Rng.fromSeed(17), 9, 301);
    const one = kernelMatrix(heads);
    const two = await kernelMatrixParallel(heads, { workers: 2 });
    let differing = 0;
    for (let i = 0; i < one.length; i++) if (!Object.is(one[i], two[i])) differing++;
    expect(differing).toBe(0);
    expect(two.length).toBe(one.length);
  });

  it('is positive definite for heads in general position (Cholesky needs no ridge)', () => {
    const heads = randomHeads(Rng.fromSeed(5), 4, 200);
    expect(solveKernel(heads, standInAgreement(heads), { method: 'cholesky' }).ridge).toBe(0);
  });
});

describe('the matrix-free product', () => {
  it('kernelMatVec(v) equals kernelMatrix·v to 1e-12 relative to ‖v‖₁', () => {
    // Both are sums of H products C_ij·v_j, |C_ij| ≤ 1, in different orders: each rounds at
    // ≈ H·ε·‖v‖₁ ≈ 3e-14·‖v‖₁ at worst.
    const rng = Rng.fromSeed(6);
    for (const [d, H] of [
      [7, 157],
      [64, 100],
      [2, 49],
      [1, 5],
    ]) {
      const heads = randomHeads(rng, d, H);
      const v = Array.from({ length: H }, () => rng.normal());
      const want = denseTimes(kernelMatrix(heads), H, v);
      const got = kernelMatVec(heads, v, new Float64Array(H));
      const l1 = v.reduce((s, x) => s + Math.abs(x), 0);
      expect(maxAbsDiff(got, want) / l1, `d=${d} H=${H}`).toBeLessThan(1e-12);
      const inPlace = Float64Array.from(v);
      expect(kernelMatVec(heads, inPlace, inPlace)).toEqual(got);
    }
  });

  it('rejects a vector of the wrong length or with non-finite entries', () => {
    const heads = randomHeads(Rng.fromSeed(7), 3, 4);
    expect(() => kernelMatVec(heads, [1, 2, 3], new Float64Array(4))).toThrow(RangeError);
    expect(() => kernelMatVec(heads, [1, 2, NaN, 4], new Float64Array(4))).toThrow(RangeError);
  });
});

describe('the solves', () => {
  it('Cholesky, CG (on every operator) and ml-matrix agree on the weights and the error (d = 8, H = 300)', () => {
    const heads = randomHeads(Rng.fromSeed(8), 8, 300);
    const b = standInAgreement(heads);
    const C = kernelMatrix(heads);
    const H = heads.count;
    const reference = solve(
      new Matrix(Array.from({ length: H }, (_, i) => Array.from(C.subarray(i * H, (i + 1) * H)))),
      Matrix.columnVector(Array.from(b)),
    ).getColumn(0);
    const referenceError = 1 - reference.reduce((s, a, i) => s + a * b[i], 0);
    const chol = optimalError(heads, b, { method: 'cholesky', dense: C });
    const cg = optimalError(heads, b, { method: 'cg', dense: C });
    const packed = optimalError(heads, b, { method: 'cg' });
    const free = optimalError(heads, b, { method: 'cg', operator: 'matrix-free' });
    expect([chol.method, cg.method, cg.operator, packed.operator, free.operator]).toEqual([
      'cholesky',
      'cg',
      'dense',
      'packed',
      'matrix-free',
    ]);
    // Here λ_min(C) ≈ 0.21 (ml-matrix's eigenvalues) and ‖b‖ ≈ 8.7, so CG's residual of
    // ≤ 1e-12·‖b‖ moves the weights by ≤ 4e-11 and the error by less; observed: 2.3e-12 and 4e-13.
    for (const s of [chol, cg, packed, free]) {
      expect(s.converged).toBe(true);
      expect(maxAbsDiff(s.weights, reference), `${s.method} ${s.operator}`).toBeLessThan(1e-9);
      expect(Math.abs(s.error - referenceError), `${s.method} ${s.operator}`).toBeLessThan(1e-9);
    }
    // The packed and matrix-free products use the same tiles in the same order: identical iterates.
    expect(free.weights).toEqual(packed.weights);
    expect(chol.relativeResidual).toBeLessThan(1e-14);
  });

  it("CG on C' = C − ½11ᵀ converges in few iterations for random heads in d = 64 (observed: 16 at H = 1024)", () => {
    const heads = randomHeads(Rng.fromSeed(9), 64, 1024);
    const s = solveKernel(heads, standInAgreement(heads), { method: 'cg' });
    expect(s.converged).toBe(true);
    expect(s.relativeResidual).toBeLessThanOrEqual(1e-12);
    expect(s.iterations).toBeLessThanOrEqual(40);
  });

  it('a CG warm start from the solution needs no iteration, and from a nearby b fewer than a cold start', () => {
    const rng = Rng.fromSeed(10);
    const heads = randomHeads(rng, 16, 600);
    const b = standInAgreement(heads);
    const cold = solveKernel(heads, b, { method: 'cg' });
    const again = solveKernel(heads, b, { method: 'cg', initial: cold.shiftedSolution, initialOnes: cold.shiftedOnes });
    expect(again.iterations).toBe(0);
    expect(again.converged).toBe(true);
    const nearby = b.map((x) => x + 1e-4 * rng.normal());
    const coldNearby = solveKernel(heads, nearby, { method: 'cg' });
    const warm = solveKernel(heads, nearby, {
      method: 'cg',
      initial: cold.shiftedSolution,
      initialOnes: cold.shiftedOnes,
    });
    expect(warm.converged).toBe(true);
    // The warm start begins 1e-4 from the answer: 8 of the 12 decades remain (observed: 23 vs 32).
    expect(warm.iterations).toBeLessThan(coldNearby.iterations);
    expect(maxAbsDiff(warm.weights, coldNearby.weights)).toBeLessThan(1e-10);
  });

  it("'auto' picks Cholesky up to H = 2048", () => {
    const heads = randomHeads(Rng.fromSeed(11), 5, 50);
    expect(solveKernel(heads, standInAgreement(heads)).method).toBe('cholesky');
  });

  it('duplicated heads make C singular: Cholesky adds the smallest ridge that works and the error is unchanged', () => {
    const rng = Rng.fromSeed(12);
    const { heads, b } = headsWithTarget(rng, 6, 40);
    const d = heads.d;
    // Heads 40..44 repeat heads 0..4 (twice over for head 0, once negated: it chooses identically).
    const extra = [0, 1, 2, 3, 4, 0];
    const q = new Float64Array((40 + extra.length) * d);
    const k = new Float64Array(q.length);
    q.set(heads.q);
    k.set(heads.k);
    extra.forEach((h, i) => {
      const sign = i === 5 ? -1 : 1;
      for (let t = 0; t < d; t++) {
        q[(40 + i) * d + t] = sign * heads.q[h * d + t];
        k[(40 + i) * d + t] = sign * heads.k[h * d + t];
      }
    });
    const dup: Rank1Heads = { d, count: 40 + extra.length, q, k };
    const bDup = Float64Array.from([...b, ...extra.map((h) => b[h])]);
    const base = optimalError(heads, b, { method: 'cholesky' });
    const chol = optimalError(dup, bDup, { method: 'cholesky' });
    const cg = optimalError(dup, bDup, { method: 'cg' });
    expect(base.ridge).toBe(0);
    expect(chol.ridge).toBeGreaterThan(0);
    expect(chol.ridge).toBeLessThanOrEqual(1e-10);
    // Iterative refinement against the exact C removes the ridge's bias.
    expect(chol.converged).toBe(true);
    for (const s of [chol, cg]) expect(Math.abs(s.error - base.error), s.method).toBeLessThan(1e-10);
  });

  it('b = 0 gives zero weights and error 1', () => {
    const heads = randomHeads(Rng.fromSeed(13), 3, 10);
    for (const method of ['cholesky', 'cg'] as const) {
      const s = optimalError(heads, new Float64Array(10), { method });
      expect(Array.from(s.weights)).toEqual(new Array(10).fill(0));
      expect(s.error).toBe(1);
    }
  });

  it('rejects a b of the wrong length, a bad tolerance and a dense matrix of the wrong size', () => {
    const heads = randomHeads(Rng.fromSeed(14), 3, 10);
    expect(() => solveKernel(heads, new Float64Array(9))).toThrow(RangeError);
    expect(() => solveKernel(heads, new Float64Array(10), { tolerance: 0 })).toThrow(RangeError);
    expect(() => solveKernel(heads, new Float64Array(10), { dense: new Float64Array(99) })).toThrow(RangeError);
  });
});

describe('the error of output weights', () => {
  it('at a = C⁻¹b equals 1 − bᵀC⁻¹b, and every perturbation δ raises it by exactly δᵀCδ', () => {
    const rng = Rng.fromSeed(15);
    const { heads, b } = headsWithTarget(rng, 10, 120);
    const H = heads.count;
    const best = optimalError(heads, b);
    const C = kernelMatrix(heads);
    const exact = 1 - best.weights.reduce((s, a, i) => s + a * b[i], 0);
    expect(best.error).toBeGreaterThan(0);
    expect(best.error).toBeLessThan(1);
    // The residual is ≤ 1e-15·‖b‖ here, so 1 − bᵀa and 1 − 2aᵀb + aᵀCa differ by ≈ aᵀr < 1e-14.
    expect(Math.abs(errorForWeights(heads, b, best.weights) - exact)).toBeLessThan(1e-13);
    expect(Math.abs(best.error - exact)).toBeLessThan(1e-13);
    for (const scale of [1e-3, 1e-1, 1]) {
      const delta = Array.from({ length: H }, () => scale * rng.normal());
      const perturbed = best.weights.map((a, i) => a + delta[i]);
      const dCd = delta.reduce((s, x, i) => s + x * denseTimes(C, H, delta)[i], 0);
      const raised = errorForWeights(heads, b, perturbed);
      expect(raised).toBeGreaterThan(best.error);
      // Rounding of O(1 + ‖a‖²) quantities: 1e-12 absolute, or relative for large δ.
      expect(Math.abs(raised - best.error - dCd)).toBeLessThan(1e-12 * Math.max(1, dCd));
    }
  });

  it('is 0 when the target is one of the heads (weight 1 on it, 0 elsewhere)', () => {
    const heads = randomHeads(Rng.fromSeed(16), 12, 80);
    const C = kernelMatrix(heads);
    const b = C.slice(17 * 80, 18 * 80); // row 17 = agreement of every head with head 17
    for (const method of ['cholesky', 'cg'] as const) {
      const s = optimalError(heads, b, { method });
      expect(Math.abs(s.error), method).toBeLessThan(1e-13);
      expect(Math.abs(s.weights[17] - 1), method).toBeLessThan(1e-11);
    }
  });
});
