import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/package-root.js';
import { Rng } from '../../src/core/rng.js';
import { agreementProbability } from '../../src/theory/agreement.js';
import { randomRawHeads } from '../../src/theory/head-distributions.js';
import { constructionError } from '../../src/theory/rank1-construction.js';
import { unitHeads, type RawHeads } from '../../src/theory/rank1-heads.js';
import {
  DEPARTURES,
  publishedComparison,
  rawKernelMatrix,
  roundToFloat16,
  scipyConjugateGradients,
  truncatedAgreement,
} from '../../src/theory/published-recipe.js';

interface Reference {
  series: { d: number; cos: number[]; b: string[] }[];
  runs: { d: number; heads: number; q: string[][]; k: string[][]; b16: string[]; publishedError: string }[];
}
const REF: Reference = JSON.parse(
  readFileSync(join(packageRoot(), 'test/fixtures/published-recipe-reference.json'), 'utf8'),
);

const rawFromReference = (r: Reference['runs'][number]): RawHeads => ({
  d: r.d,
  count: r.heads,
  q: Float64Array.from(r.q.flat(), Number),
  k: Float64Array.from(r.k.flat(), Number),
});

describe('float16 rounding', () => {
  it('rounds to 11 significant bits with ties to even, through the subnormals, to infinity above 65504', () => {
    expect(roundToFloat16(1 / 3)).toBe(0.333251953125);
    expect(roundToFloat16(0.1)).toBe(0.0999755859375);
    expect(roundToFloat16(2049)).toBe(2048); // tie, to the even neighbour
    expect(roundToFloat16(2051)).toBe(2052); // tie, to the even neighbour above
    expect(roundToFloat16(-0.6)).toBe(-0.60009765625);
    expect(roundToFloat16(65519)).toBe(65504);
    expect(roundToFloat16(65520)).toBe(Infinity);
    expect(roundToFloat16(2 ** -25)).toBe(0); // half the smallest subnormal: the tie goes to 0
    expect(roundToFloat16(3 * 2 ** -25)).toBe(2 ** -23);
  });
});

describe('the released series for b', () => {
  it('is our agreement series cut after degree 49: SciPy quadrature coefficients agree to 1e-9 up to d = 32', () => {
    // SciPy's quad coefficients carry ≈ 1e-11 error each at d ≤ 32; 25 terms, 1e-9.
    for (const s of REF.series.filter((x) => x.d <= 32))
      s.cos.forEach((t, i) =>
        expect(Math.abs(truncatedAgreement(s.d, t) - Number(s.b[i])), `d=${s.d} t=${t}`).toBeLessThan(1e-9),
      );
  });

  it("departs at d = 64 by SciPy's quadrature, not by the truncation: up to 1.2e-4 near |t| = 1, below 1e-13 near 0", () => {
    // quad warns of roundoff for the weight (1 − t²)^30.5; measured 6e-5 at t = −0.99, 1.2e-4 at t = 1.
    const s = REF.series.find((x) => x.d === 64)!;
    const gap = s.cos.map((t, i) => Math.abs(truncatedAgreement(64, t) - Number(s.b[i])));
    expect(Math.max(...gap)).toBeLessThan(2e-4);
    expect(Math.max(...gap)).toBeGreaterThan(1e-5);
    s.cos.forEach((t, i) => Math.abs(t) <= 0.5 && expect(gap[i]).toBeLessThan(1e-13));
  });

  it('converges to the exact agreement, and at 50 terms is within 1e-8 of it for d ≥ 8', () => {
    for (const d of [8, 32])
      for (const t of [-0.7, 0.2, 0.9]) {
        // The terms decay like n^{−(d+4)/2}: at 4001 terms the tail is far below 1e-10.
        expect(Math.abs(truncatedAgreement(d, t, 4001) - agreementProbability(d, t))).toBeLessThan(1e-10);
      }
    // Measured: 9e-10 at d = 8, t = 1 (where the tail decays slowest), 1e-12 at d = 16.
    for (const d of [8, 16, 32, 64])
      for (const t of [-1, -0.5, 0.3, 1])
        expect(Math.abs(truncatedAgreement(d, t) - agreementProbability(d, t))).toBeLessThan(1e-8);
    // Few terms do show the truncation: at 4 terms (degrees 1 and 3) the head at angle 0 is off.
    expect(Math.abs(truncatedAgreement(8, 1, 4) - agreementProbability(8, 1))).toBeGreaterThan(1e-4);
  });
});

describe("the released script's computation", () => {
  it("reproduces NumPy/SciPy's float16 b and published error for the same heads", () => {
    for (const run of REF.runs) {
      const raw = rawFromReference(run);
      const c = publishedComparison(raw);
      // b: the same series at the same nominal cosines, so the same float16 values.
      for (let h = 0; h < raw.count; h++) {
        let t = 0;
        for (let j = 0; j < raw.d; j++) t += raw.q[h * raw.d + j] * raw.k[h * raw.d + j];
        expect(roundToFloat16(truncatedAgreement(raw.d, t))).toBe(Number(run.b16[h]));
      }
      // SciPy 1.10's CG (Fortran) and ours (its later Python loop) stop by the same rule; their
      // rounding differs, so the error agrees to ≈ the CG tolerance's effect, not to the last digit.
      expect(Math.abs(c.publishedError - Number(run.publishedError)), `d=${run.d} H=${run.heads}`).toBeLessThan(1e-6);
    }
  });

  it('with every departure removed equals the exact error of the unit heads (the comparison has no bias of its own)', () => {
    const raw = randomRawHeads(Rng.fromSeed(5), 8, 96, 'paper');
    const none = publishedComparison(raw, []);
    expect(Math.abs(none.publishedError - none.exactError)).toBeLessThan(1e-12);
    expect(Math.abs(none.exactError - constructionError(unitHeads(raw)).error)).toBeLessThan(1e-11);
  });

  it('never reports weights better than the optimum: the true error of its weights is at least the exact error', () => {
    for (const seed of [1, 2, 3]) {
      const c = publishedComparison(randomRawHeads(Rng.fromSeed(seed), 16, 128, 'paper'));
      // 1 − bᵀC⁻¹b is the minimum over all weights of the true error; rounding of a 128-head solve ≈ 1e-13.
      expect(c.publishedWeightsTrueError).toBeGreaterThanOrEqual(c.exactError - 1e-12);
      for (const x of DEPARTURES) expect(Number.isFinite(c.causes?.[x])).toBe(true);
    }
  });
});

describe('the paper distribution', () => {
  it('draws q unit, ⟨q, k⟩ = u uniform, and keys shorter than 1 unless e is re-normalised', () => {
    const raw = randomRawHeads(Rng.fromSeed(9), 16, 2000, 'paper');
    const intended = randomRawHeads(Rng.fromSeed(9), 16, 2000, 'paper-intended');
    let shorter = 0;
    let meanCos = 0;
    for (let h = 0; h < raw.count; h++) {
      const o = h * raw.d;
      let qq = 0;
      let kk = 0;
      let kkI = 0;
      let qk = 0;
      for (let j = 0; j < raw.d; j++) {
        qq += raw.q[o + j] ** 2;
        kk += raw.k[o + j] ** 2;
        kkI += intended.k[o + j] ** 2;
        qk += raw.q[o + j] * raw.k[o + j];
      }
      expect(Math.abs(qq - 1)).toBeLessThan(1e-12);
      expect(Math.abs(kkI - 1)).toBeLessThan(1e-12);
      if (kk < 1 - 1e-9) shorter++;
      meanCos += qk / raw.count;
    }
    // e loses ⟨q, e⟩² of its length, nonzero with probability 1.
    expect(shorter).toBe(raw.count);
    // u uniform on [−1, 1]: mean 0, standard error 1/√(3·2000) ≈ 0.013; 5 standard errors.
    expect(Math.abs(meanCos)).toBeLessThan(0.065);
  });

  it('builds the raw kernel from the vectors as given: its diagonal is below 1 exactly where a key is short', () => {
    const raw = randomRawHeads(Rng.fromSeed(4), 8, 20, 'paper');
    const C = rawKernelMatrix(raw);
    for (let h = 0; h < 20; h++) expect(C[h * 20 + h]).toBeLessThan(1);
  });
});

describe('SciPy-style conjugate gradients', () => {
  it('stops once the residual is below 1e-5 of ‖b‖', () => {
    const n = 30;
    const C = rawKernelMatrix(unitHeads(randomRawHeads(Rng.fromSeed(2), 6, n, 'paper')));
    const b = Float64Array.from({ length: n }, (_, i) => 0.5 + 0.01 * i);
    const { x, iterations } = scipyConjugateGradients(C, n, b);
    let r2 = 0;
    let b2 = 0;
    for (let i = 0; i < n; i++) {
      let Cx = 0;
      for (let j = 0; j < n; j++) Cx += C[i * n + j] * x[j];
      r2 += (b[i] - Cx) ** 2;
      b2 += b[i] ** 2;
    }
    // The recursive residual CG tests drifts from the true one by ≈ κ·ε; 2e-5 leaves room for it.
    expect(Math.sqrt(r2 / b2)).toBeLessThan(2e-5);
    expect(iterations).toBeGreaterThan(0);
  });
});
