import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import {
  attentionScratch,
  queryAttentionScratch,
  type FloatArray,
  type FloatSpace,
  type Heads,
  type QueryHeads,
} from '../../src/training/float-space.js';
import { inFloat32Space } from '../../src/training/float32-space.js';
import { float64Space } from '../../src/training/float64-space.js';

/**
 * The same computation in the float32 WebAssembly space and in the float64 reference, from the
 * same inputs (float32 numbers): `arrays` lists the lengths, `fill` which of them start random
 * (the rest zero), `run` computes; returns both sets of arrays and run's results.
 */
function bothSpaces<R>(
  lengths: number[],
  random: number[],
  seed: number,
  run: (space: FloatSpace, arrays: FloatArray[]) => R,
): { f32: FloatArray[]; f64: FloatArray[]; r32: R; r64: R } {
  const rng = Rng.fromSeed(seed);
  const inputs = lengths.map((n, i) =>
    random.includes(i) ? Float32Array.from({ length: n }, () => rng.normal()) : new Float32Array(n),
  );
  const setUp = (space: FloatSpace) => lengths.map((n) => space.array(n));
  const s32 = inFloat32Space((space) => ({ space, arrays: setUp(space) }));
  const s64 = float64Space();
  const a64 = setUp(s64);
  inputs.forEach((x, i) => {
    s32.arrays[i].set(x);
    a64[i].set(x);
  });
  const r32 = run(s32.space, s32.arrays);
  const r64 = run(s64, a64);
  return { f32: s32.arrays, f64: a64, r32, r64 };
}

/** Largest |a − b| over the arrays, relative to the largest |b| (at least 1). */
function worstGap(a: FloatArray[], b: FloatArray[]): number {
  let worst = 0;
  a.forEach((x, i) => {
    const scale = Math.max(1, ...Array.from(b[i], Math.abs));
    for (let k = 0; k < x.length; k++) worst = Math.max(worst, Math.abs(x[k] - b[i][k]) / scale);
  });
  return worst;
}

// float32 arithmetic (ε = 6e-8) over sums of at most a few hundred terms of unit size: 2e-5 of the
// scale is ample, and an indexing or tiling error is off by the size of the numbers themselves.
const TOLERANCE = 2e-5;

const small = (max: number) => fc.integer({ min: 1, max });
const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 });

describe('the float32 WebAssembly space computes what the float64 reference does', () => {
  it('a·b, overwritten and accumulated, at shapes around every tile edge', () => {
    fc.assert(
      fc.property(small(13), small(70), small(35), seed, fc.boolean(), (m, k, n, s, accumulate) => {
        // out starts random either way: overwriting must ignore what it held.
        const { f32, f64 } = bothSpaces([m * k, k * n, m * n], [0, 1, 2], s, (space, [a, b, out]) =>
          space.product(a, b, out, m, k, n, accumulate),
        );
        expect(worstGap(f32, f64)).toBeLessThan(TOLERANCE);
      }),
      { numRuns: 40, seed: 1 },
    );
  });

  it('xᵀ·dy and the column sums (overwriting what out held)', () => {
    fc.assert(
      fc.property(small(70), small(13), small(35), seed, (T, k, n, s) => {
        const { f32, f64 } = bothSpaces([T * k, T * n, k * n, n], [0, 1, 2, 3], s, (space, [x, dy, out, sums]) => {
          space.transposedProduct(x, dy, out, T, k, n);
          space.columnSums(dy, sums, T, n);
        });
        expect(worstGap(f32, f64)).toBeLessThan(TOLERANCE);
      }),
      { numRuns: 40, seed: 2 },
    );
  });

  it('bias and residual sums, scaling, ReLU and its mask, at lengths around the four-lane edge', () => {
    fc.assert(
      fc.property(small(9), small(11), seed, fc.double({ min: -2, max: 2, noNaN: true }), (rows, n, s, c) => {
        const len = rows * n;
        const { f32, f64 } = bothSpaces([len, n, len, len, len, len, len], [0, 1, 2, 3, 5], s, (space, a) => {
          const [out, b, x, pre, hidden, d, scaled] = a;
          space.addRows(out, b, rows, n);
          space.addScaled(x, x, out, c, len);
          space.scale(scaled, x, c, len);
          space.relu(pre, hidden, len);
          space.reluMask(pre, d, len);
        });
        expect(worstGap(f32, f64)).toBeLessThan(TOLERANCE);
        // ReLU's output and the masked gradient (random, so non-zero) are 0 exactly where the pre-activation is not positive.
        for (let i = 0; i < len; i++) {
          expect(f32[4][i] === 0).toBe(!(f32[3][i] > 0));
          expect(f32[5][i] === 0).toBe(!(f32[3][i] > 0));
        }
      }),
      { numRuns: 40, seed: 3 },
    );
  });

  it('ScaleNorm forward and back, gains and gradients', () => {
    fc.assert(
      fc.property(small(9), small(20), seed, fc.double({ min: 0.2, max: 3, noNaN: true }), (rows, W, s, g) => {
        const { f32, f64, r32, r64 } = bothSpaces(
          [rows * W, rows * W, rows, rows * W, rows * W],
          [0, 4],
          s,
          (space, [y, yHat, inv, out, dout]) => {
            space.scaleNorm(y, rows, W, g, yHat, inv, out);
            return space.scaleNormBackward(dout, rows, W, g, yHat, inv);
          },
        );
        expect(worstGap(f32, f64)).toBeLessThan(TOLERANCE);
        expect(Math.abs(r32 - r64)).toBeLessThan(TOLERANCE * Math.max(1, Math.abs(r64)));
      }),
      { numRuns: 40, seed: 4 },
    );
  });

  it('attention and its backward pass, for ranks 1–9 and contexts 1–11 (padding lanes included)', () => {
    fc.assert(
      fc.property(small(3), small(3), small(11), small(9), seed, (B, G, N, r, s) => {
        const D = G * r;
        const h: Heads = { B, G, N, r, D, scale: 1 / Math.sqrt(r) };
        const T = B * N * D;
        const { f32, f64 } = bothSpaces(
          [T, T, T, B * G * N * N, T, T, T, T, T, attentionScratch(N, r)],
          [0, 1, 2, 5],
          s,
          (space, [q, k, v, A, z, dZ, dQ, dK, dV, scratch]) => {
            space.attention(q, k, v, A, z, scratch, h);
            space.attentionBackward(q, k, v, A, dZ, dQ, dK, dV, scratch, h);
          },
        );
        // The scratch differs by design (the reference uses only its first N numbers).
        expect(worstGap(f32.slice(0, 9), f64.slice(0, 9))).toBeLessThan(TOLERANCE);
        // Every softmax row sums to 1.
        for (let row = 0; row < B * G * N; row++) {
          let total = 0;
          for (let i = 0; i < N; i++) total += f32[3][row * N + i];
          expect(Math.abs(total - 1)).toBeLessThan(1e-6);
        }
      }),
      { numRuns: 60, seed: 5 },
    );
  });

  it('query attention and its backward pass, with and without score biases, at d around the four-lane edge', () => {
    fc.assert(
      fc.property(
        small(3),
        small(9),
        small(5),
        small(4),
        small(11),
        fc.boolean(),
        seed,
        (B, H, N, r, d, hasBias, s) => {
          const q: QueryHeads = { B, H, N, r, d };
          const Hr = H * r;
          const { f32, f64 } = bothSpaces(
            // P, Kx, bias, X, A, Z, dZ, dP, dKx, dBias, scratch
            [
              B * Hr,
              B * N * Hr,
              H * N,
              B * N * d,
              B * H * N,
              B * H * d,
              B * H * d,
              B * Hr,
              B * N * Hr,
              H * N,
              queryAttentionScratch(H, N),
            ],
            [0, 1, 2, 3, 6],
            s,
            (space, [P, Kx, bias, X, A, Z, dZ, dP, dKx, dBias, scratch]) => {
              space.queryAttention(P, Kx, hasBias ? bias : null, X, A, Z, scratch, q);
              space.queryAttentionBackward(P, Kx, X, A, dZ, dP, dKx, hasBias ? dBias : null, scratch, q);
            },
          );
          // The scratch differs by design (the reference uses only its first N numbers).
          expect(worstGap(f32.slice(0, 10), f64.slice(0, 10))).toBeLessThan(TOLERANCE);
          // Without biases their gradient is left as it was (zero); every softmax row sums to 1.
          if (!hasBias) expect(f32[9].every((x) => x === 0)).toBe(true);
          for (let row = 0; row < B * H; row++) {
            let total = 0;
            for (let i = 0; i < N; i++) total += f32[4][row * N + i];
            expect(Math.abs(total - 1)).toBeLessThan(1e-6);
          }
        },
      ),
      { numRuns: 60, seed: 6 },
    );
  });

  it('refuses an array of another space, and a space asked for more than it reserved', () => {
    const { space } = inFloat32Space((s) => ({ space: s, a: s.array(8) }));
    expect(() => space.scale(new Float32Array(8), new Float32Array(8), 1, 8)).toThrow(/another space/);
    expect(() => space.array(1e6)).toThrow(/exhausted/);
  });
});

describe('the float32 space with helper threads', () => {
  it('splits large products by rows and gives the same bits as one thread', () => {
    // 320·160·48 = 2.5M multiply-adds: above the splitting threshold; rows not a multiple of the three shares.
    const [m, k, n] = [322, 160, 48];
    const rng = Rng.fromSeed(7);
    const run = (threads: number) =>
      inFloat32Space((space) => {
        const [a, b, out, x, dy, grad] = [m * k, k * n, m * n, m * k, m * n, k * n].map((len) => space.array(len));
        for (const v of [a, b, x, dy])
          for (let i = 0; i < v.length; i++) v[i] = Math.fround(Math.sin(i * 0.37 + rng.nextDouble()));
        return { space, a, b, out, x, dy, grad };
      }, threads);
    const results = [1, 3].map((threads) => {
      const s = run(threads);
      const inputs = [s.a, s.b, s.x, s.dy].map((v) => Float32Array.from(v));
      return { s, inputs };
    });
    // The same inputs on both sides (the generator was shared, so copy the first side's).
    results[1].inputs.forEach((v, i) =>
      [results[1].s.a, results[1].s.b, results[1].s.x, results[1].s.dy][i].set(results[0].inputs[i]),
    );
    const bits = results.map(({ s }) => {
      s.space.product(s.a, s.b, s.out, m, k, n, false);
      s.space.product(s.a, s.b, s.out, m, k, n, true);
      s.space.transposedProduct(s.x, s.dy, s.grad, m, k, n);
      s.space.release();
      return [s.out, s.grad].map((v) => Array.from(new Uint32Array(Float32Array.from(v).buffer)));
    });
    expect(bits[1]).toEqual(bits[0]);
  });
});
