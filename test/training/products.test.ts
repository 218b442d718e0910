import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { useBackend } from '../../src/training/backend.js';
import { columnSums, fewerTransposed, leftTransposed, transposedProduct } from '../../src/training/products.js';

beforeAll(async () => {
  expect(await useBackend('wasm')).toBe('wasm');
});

/** A [rows, cols] float32 tensor of standard normal entries from `seed`. */
function gaussian(rows: number, cols: number, seed: number): tf.Tensor2D {
  const rng = Rng.fromSeed(seed);
  return tf.tensor2d(
    Float32Array.from({ length: rows * cols }, () => rng.normal()),
    [rows, cols],
  );
}

/** The bits of a float32 tensor, for exact comparison (NaN-safe and sign-of-zero-aware). */
const bits = (t: tf.Tensor) => Array.from(new Uint32Array(Float32Array.from(t.dataSync()).buffer));

// Shapes around every tile edge of products.wat: rows in blocks of 4, then singles; columns in
// blocks of 8, one of 4, then singles; rows t in blocks of 64.
const shape = fc.record({
  T: fc.integer({ min: 1, max: 200 }),
  k: fc.integer({ min: 1, max: 13 }),
  n: fc.integer({ min: 1, max: 35 }),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
});

describe('the training products on the wasm backend', () => {
  it('xᵀ·dy is bit for bit tfjs’s matMul of the transposed x, and of (dyᵀ·x)ᵀ, at every shape', () => {
    fc.assert(
      fc.property(shape, ({ T, k, n, seed }) =>
        tf.tidy(() => {
          const x = gaussian(T, k, seed);
          const dy = gaussian(T, n, seed + 1);
          const ours = bits(transposedProduct(x, dy));
          expect(ours).toEqual(bits(leftTransposed(x, dy)));
          expect(ours).toEqual(bits(tf.transpose(tf.matMul(tf.transpose(dy), x))));
        }),
      ),
      { numRuns: 60, seed: 11 },
    );
  });

  it('1ᵀ·dy is bit for bit tfjs’s matMul of a row of ones', () => {
    fc.assert(
      fc.property(shape, ({ T, n, seed }) =>
        tf.tidy(() => {
          const dy = gaussian(T, n, seed);
          expect(bits(columnSums(dy))).toEqual(bits(tf.matMul(tf.ones([1, T]), dy)));
        }),
      ),
      { numRuns: 60, seed: 12 },
    );
  });

  it('the paper MLP’s weight-gradient shapes agree bit for bit too (x [4096, 64], dy [4096, 2048] and the reverse)', () => {
    tf.tidy(() => {
      const narrow = gaussian(4096, 64, 1);
      const wide = gaussian(4096, 2048, 2);
      expect(bits(transposedProduct(narrow, wide))).toEqual(bits(leftTransposed(narrow, wide)));
      expect(bits(transposedProduct(wide, narrow))).toEqual(bits(fewerTransposed(wide, narrow)));
      expect(bits(columnSums(wide))).toEqual(bits(tf.matMul(tf.ones([1, 4096]), wide)));
    });
  });

  it('exact equality has teeth: the same sum taken over the rows in reverse order differs in some bit', () => {
    tf.tidy(() => {
      const x = gaussian(200, 8, 3);
      const dy = gaussian(200, 16, 4);
      const reversed = leftTransposed(tf.reverse(x, 0), tf.reverse(dy, 0));
      expect(bits(transposedProduct(x, dy))).not.toEqual(bits(reversed));
      // …while agreeing to float32 rounding over 200 terms (relative 1e-4 of the terms' scale).
      expect(tf.max(tf.abs(tf.sub(transposedProduct(x, dy), reversed))).dataSync()[0]).toBeLessThan(1e-3);
    });
  });

  it('stays right after tfjs’s memory grows (the kernels import it, and follow it)', () => {
    const x = gaussian(70, 5, 5);
    const dy = gaussian(70, 9, 6);
    const before = bits(transposedProduct(x, dy));
    // 256 MiB more than anything allocated so far: the backend must grow its memory.
    const big = tf.zeros([64 * 1024 * 1024]);
    expect(bits(transposedProduct(x, dy))).toEqual(before);
    expect(bits(transposedProduct(x, dy))).toEqual(bits(leftTransposed(x, dy)));
    tf.dispose([big, x, dy]);
  });
});

describe('the training products off wasm', () => {
  afterAll(async () => {
    await useBackend('wasm');
  });

  it('are the caller’s matMul route and the matMul of a row of ones, unchanged', async () => {
    expect(await useBackend('cpu')).toBe('cpu');
    tf.tidy(() => {
      const x = gaussian(50, 6, 7);
      const dy = gaussian(50, 3, 8);
      expect(bits(transposedProduct(x, dy, leftTransposed))).toEqual(bits(leftTransposed(x, dy)));
      expect(bits(transposedProduct(x, dy))).toEqual(bits(fewerTransposed(x, dy)));
      expect(bits(columnSums(dy))).toEqual(bits(tf.reshape(tf.matMul(tf.ones([1, 50]), dy), [3])));
    });
  });
});
