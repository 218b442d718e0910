import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { angleToIdentity, minimumAngleForRank } from '../../src/experiments/analysis.js';
import { initialWeights } from '../../src/experiments/initial-weights.js';
import { parameterCount } from '../../src/experiments/shape.js';
import { summariseSetting, trainingSeeds, type Setting } from '../../src/experiments/settings.js';
import { sampleTask, shapeFor } from '../../src/experiments/tasks.js';
import { learningRateAt } from '../../src/training/schedule.js';

const dot = (a: Float64Array, i: number, j: number, d: number) => {
  let s = 0;
  for (let k = 0; k < d; k++) s += a[i * d + k] * a[j * d + k];
  return s;
};

describe('experiment tasks', () => {
  it('farthest neighbour: token j targets the point with the smallest inner product with x_j (brute force)', () => {
    const d = 5;
    const n = 7;
    const b = sampleTask({ kind: 'farthest', d, n, positional: 'none' }, Rng.fromSeed(1), 30);
    for (let s = 0; s < 30; s++)
      for (let j = 0; j < n; j++) {
        const X = b.tokens.subarray(s * n * d, (s + 1) * n * d);
        let arg = 0;
        for (let i = 1; i < n; i++) if (dot(X, i, j, d) < dot(X, arg, j, d)) arg = i;
        expect(Array.from(b.targets.subarray((s * n + j) * d, (s * n + j + 1) * d))).toEqual(
          Array.from(X.subarray(arg * d, (arg + 1) * d)),
        );
        expect(arg).not.toBe(j);
      }
  });

  it('the points are unit vectors, and the nearest-neighbour target (a sentinel) is the identity', () => {
    const b = sampleTask({ kind: 'farthest', d: 3, n: 4, positional: 'none' }, Rng.fromSeed(2), 10, 'nearest');
    for (let t = 0; t < 40; t++) expect(dot(b.tokens, t, t, 3)).toBeCloseTo(1, 12);
    expect(Array.from(b.targets)).toEqual(Array.from(b.tokens));
  });

  it('concatenated positions append the one-hot position to each point', () => {
    const d = 3;
    const n = 4;
    const plain = sampleTask({ kind: 'farthest', d, n, positional: 'none' }, Rng.fromSeed(3), 2);
    const cat = sampleTask({ kind: 'farthest', d, n, positional: 'concat' }, Rng.fromSeed(3), 2);
    expect(Array.from(cat.targets)).toEqual(Array.from(plain.targets));
    for (let t = 0; t < 2 * n; t++) {
      expect(Array.from(cat.tokens.subarray(t * (d + n), t * (d + n) + d))).toEqual(
        Array.from(plain.tokens.subarray(t * d, (t + 1) * d)),
      );
      expect(Array.from(cat.tokens.subarray(t * (d + n) + d, (t + 1) * (d + n)))).toEqual(
        Array.from({ length: n }, (_, i) => (i === t % n ? 1 : 0)),
      );
    }
  });

  it('in-context regression: context tokens carry (x, ⟨w, x⟩, 0) with one w per prompt, the query (x, 0, 1) and its target', () => {
    const p = 3;
    const n = 6;
    const b = sampleTask({ kind: 'icl', p, n }, Rng.fromSeed(4), 50);
    for (let s = 0; s < 50; s++) {
      const tok = (i: number) => b.tokens.subarray((s * n + i) * (p + 2), (s * n + i + 1) * (p + 2));
      // Recover w from the first p examples (x's are Gaussian: the system is invertible almost surely) by Gaussian elimination.
      const A = Array.from({ length: p }, (_, i) => [...Array.from(tok(i).subarray(0, p)), tok(i)[p]]);
      for (let c = 0; c < p; c++) {
        const piv = A.reduce((best, row, r) => (r >= c && Math.abs(row[c]) > Math.abs(A[best][c]) ? r : best), c);
        [A[c], A[piv]] = [A[piv], A[c]];
        for (let r = 0; r < p; r++) if (r !== c) A[r] = A[r].map((v, k) => v - (A[r][c] / A[c][c]) * A[c][k]);
      }
      const w = A.map((row, c) => row[p] / row[c]);
      const predict = (x: Float64Array) => w.reduce((acc, wk, k) => acc + wk * x[k], 0);
      for (let i = p; i < n - 1; i++) expect(tok(i)[p]).toBeCloseTo(predict(tok(i)), 8);
      expect(tok(n - 1)[p]).toBe(0);
      expect(tok(n - 1)[p + 1]).toBe(1);
      expect(b.targets[s]).toBeCloseTo(predict(tok(n - 1)), 8);
    }
  });

  it('shapes tie H = d/r and count c copies of 4 d·(H·r) attention parameters', () => {
    const s1 = shapeFor(
      { kind: 'farthest', d: 8, n: 4, positional: 'none' },
      { layers: 1, heads: 4, copies: 1, mlpWidth: 0 },
    );
    const s8 = shapeFor(
      { kind: 'farthest', d: 8, n: 4, positional: 'none' },
      { layers: 1, heads: 4, copies: 8, mlpWidth: 0 },
    );
    expect(s1.rank).toBe(2);
    expect(parameterCount(s1)).toBe(4 * 64 + 2 + 8);
    expect(parameterCount(s8) - 10).toBe(8 * (parameterCount(s1) - 10));
    expect(
      shapeFor({ kind: 'farthest', d: 8, n: 4, positional: 'concat' }, { layers: 1, heads: 1, copies: 1, mlpWidth: 4 }),
    ).toMatchObject({ width: 12, rank: 8, outputDim: 8 });
    expect(() =>
      shapeFor({ kind: 'farthest', d: 8, n: 4, positional: 'none' }, { layers: 1, heads: 3, copies: 1, mlpWidth: 4 }),
    ).toThrow(/divide/);
  });

  it('the released design appends 64 learned coordinates (rank (d + 64)/H), slices the output and keeps the tokens d wide', () => {
    const task = { kind: 'farthest', d: 8, n: 4, positional: 'concat', positionDesign: 'released' } as const;
    const s = shapeFor(task, { layers: 1, heads: 8, copies: 1, mlpWidth: 0 });
    expect(s).toMatchObject({
      width: 72,
      inputDim: 8,
      rank: 9,
      appendedPositions: 64,
      outputDim: 8,
      sliceOutput: true,
    });
    // 4 attention matrices of 72 × 72 and two gains, the MLP's output bias (72), the 4 × 64 positions, no readout.
    expect(parameterCount(s)).toBe(4 * 72 * 72 + 2 + 72 + 4 * 64);
    expect(sampleTask(task, Rng.fromSeed(1), 3).tokens.length).toBe(3 * 4 * 8);
    const w = initialWeights(s, Rng.fromSeed(2));
    expect(w.readout).toBeNull();
    expect(Math.min(...w.positions!)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...w.positions!)).toBeLessThanOrEqual(1);
  });

  it('the released additive table starts at mean −1 and spread 1', () => {
    const task = { kind: 'farthest', d: 16, n: 16, positional: 'additive', positionDesign: 'released' } as const;
    const p = initialWeights(
      shapeFor(task, { layers: 1, heads: 1, copies: 1, mlpWidth: 0 }),
      Rng.fromSeed(3),
    ).positions!;
    const mean = p.reduce((a, b) => a + b, 0) / p.length;
    const sd = Math.sqrt(p.reduce((a, b) => a + (b - mean) ** 2, 0) / (p.length - 1));
    // 256 draws of N(−1, 1): the mean's standard error is 1/16, the sd's about 0.044; 5 standard errors either way.
    expect(Math.abs(mean + 1)).toBeLessThan(5 / 16);
    expect(Math.abs(sd - 1)).toBeLessThan(0.23);
  });

  it('the schedule warms up linearly over 5% of the steps, peaks, and decays by a cosine to a tenth', () => {
    expect(learningRateAt(0, 1000, 0.01)).toBeCloseTo(0.01 / 50, 12);
    expect(learningRateAt(49, 1000, 0.01)).toBeCloseTo(0.01, 12);
    expect(learningRateAt(50, 1000, 0.01)).toBeCloseTo(0.01, 12);
    expect(learningRateAt(525, 1000, 0.01)).toBeCloseTo(0.0055, 12);
    expect(learningRateAt(1000, 1000, 0.01)).toBeCloseTo(0.001, 12);
  });
});

describe('experiment statistics and analysis', () => {
  const setting: Setting = {
    task: { kind: 'farthest', d: 8, n: 8, positional: 'none' },
    arch: { layers: 1, heads: 2, copies: 1, mlpWidth: 4 },
    recipe: { steps: 1, batch: 1, learningRate: 0.01, evalSamples: 2 },
    seeds: 2,
  };
  const run = (seed: number, mse: number, half: number) => ({
    seed,
    mse,
    ci: [mse - half, mse + half] as [number, number],
    finalLoss: mse,
    seconds: 1,
    headAngles: [10, 20],
    scoreRanks: { min: 4, max: 4 },
  });

  it("a setting over seeds: mean, spread, best seed, the Student-t interval over seeds and the hull of the seeds' intervals", () => {
    const r = summariseSetting(setting, [run(1, 0.3, 0.01), run(2, 0.2, 0.02)]);
    expect(r).toMatchObject({ rank: 4, heads: 2, seeds: 2, bestSeed: 2, mse: { min: 0.2, max: 0.3 } });
    expect(r.mse.mean).toBeCloseTo(0.25, 12);
    // Two seeds: mean 0.25 ± t(0.975, 1)·s/√2 with s = 0.0707: 12.706 · 0.05 = 0.635, clipped at 0.
    expect(r.mse.ci[0]).toBe(0);
    expect(r.mse.ci[1]).toBeCloseTo(0.25 + 12.7062047 * 0.05, 6);
    expect(r.mse.hull[0]).toBeCloseTo(0.18, 12);
    expect(r.mse.hull[1]).toBeCloseTo(0.31, 12);
    expect(trainingSeeds(0, 3)).toEqual([1, 2, 3]);
    expect(trainingSeeds(2, 1)).toEqual([2001]);
  });

  it('angles to ±I: −βI is at 0° from −I and 180° from I; a rank-r matrix stays ≥ arccos √(r/W) away', () => {
    const W = 4;
    const minusI = new Float64Array(W * W);
    for (let a = 0; a < W; a++) minusI[a * W + a] = -3;
    expect(angleToIdentity(minusI, W, -1)).toBeCloseTo(0, 5);
    expect(angleToIdentity(minusI, W, 1)).toBeCloseTo(180, 5);
    const half = new Float64Array(W * W);
    half[0] = -1;
    half[W + 1] = -1;
    expect(angleToIdentity(half, W, -1)).toBeCloseTo(minimumAngleForRank(2, W), 10);
    expect(minimumAngleForRank(2, 4)).toBeCloseTo(45, 10);
  });
});
