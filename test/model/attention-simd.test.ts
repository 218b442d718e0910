import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { sampleContexts } from '../../src/core/sphere.js';
import { MultiHeadAttention, type AttentionSpec, type Normalisation } from '../../src/model/attention.js';
import { randomAttention } from '../../src/model/constructions.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Byte-level equality of two Float64Arrays (stricter than ===: tells −0 from +0). */
function expectSameBytes(a: Float64Array, b: Float64Array) {
  expect(a.length).toBe(b.length);
  const ua = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const ub = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  let first = -1;
  for (let i = 0; i < ua.length && first < 0; i++) if (ua[i] !== ub[i]) first = i >> 3;
  expect(first, first < 0 ? '' : `element ${first}: ${a[first]} vs ${b[first]}`).toBe(-1);
}

function both(spec: AttentionSpec) {
  const simd = new MultiHeadAttention(spec);
  const ts = new MultiHeadAttention(spec, { evaluator: 'ts' });
  return { simd, ts };
}

describe('WebAssembly SIMD value product', () => {
  it('is available in this Node (so the comparisons below exercise it)', () => {
    const rng = Rng.fromSeed(1);
    expect(randomAttention(rng, 4, 2, 2).evaluator).toBe('wasm-simd');
    expect(new MultiHeadAttention(randomAttention(rng, 4, 2, 2).spec, { evaluator: 'ts' }).evaluator).toBe('ts');
  });

  // d from 1 to 70, odd and even, d mod 4 = 0..3; H·d crossing the 256-column block (e.g. 70·20,
  // 17·16, 33·8, 64·16); r from 1 to d; N ∈ {1, 2, 3, 16}; sizes not multiples of 4 or 64.
  const cases: [number, number, number, number, Normalisation, number][] = [
    [1, 1, 1, 1, 'softmax', 1],
    [1, 1, 3, 2, 'hardmax', 3],
    [2, 1, 1, 3, 'softmax', 5],
    [3, 3, 2, 16, 'softmax', 63],
    [5, 2, 20, 2, 'hardmax', 65],
    [6, 4, 7, 3, 'softmax', 130],
    [7, 7, 19, 16, 'softmax', 65],
    [17, 3, 16, 2, 'softmax', 130],
    [18, 1, 15, 3, 'hardmax', 63],
    [33, 16, 8, 16, 'softmax', 3],
    [33, 33, 1, 1, 'softmax', 1],
    [64, 4, 16, 2, 'softmax', 130],
    [64, 64, 1, 16, 'softmax', 65],
    [69, 35, 3, 3, 'hardmax', 63],
    [70, 2, 20, 2, 'softmax', 67],
    [70, 70, 4, 16, 'softmax', 5],
  ];
  for (const [d, r, H, n, norm, size] of cases) {
    it(`bit-identical to the TypeScript kernel: d=${d} r=${r} H=${H} N=${n} ${norm}, ${size} samples`, () => {
      const rng = Rng.fromSeed(((d * 131 + r) * 37 + H) * 17 + n);
      const { simd, ts } = both(randomAttention(rng, d, r, H, norm, 2).spec);
      const batch = sampleContexts(rng, 'unif', d, n, size);
      expectSameBytes(simd.evaluate(batch.X, batch.Y, size, n, 1), ts.evaluate(batch.X, batch.Y, size, n, 1));
      // Self-attention: m = n queries per sample.
      expectSameBytes(simd.evaluate(batch.X, batch.X, size, n, n), ts.evaluate(batch.X, batch.X, size, n, n));
    });
  }

  for (const [d, r, H, n, size] of [
    [9, 3, 5, 3, 63],
    [40, 5, 12, 16, 65],
  ] as const) {
    it(`bit-identical for generalized heads with a score function: d=${d} r=${r} H=${H} N=${n}`, () => {
      const rng = Rng.fromSeed(d * 1000 + H);
      const base = randomAttention(rng, d, r, H, 'softmax', 2).spec;
      const spec: AttentionSpec = {
        ...base,
        heads: base.heads.map((h, hi) => ({
          ...h,
          score: (p: Float64Array, X: Float64Array, off: number, i: number) => {
            let s = 0;
            for (let c = 0; c < r; c++) s += p[c] * X[off + ((c + hi) % d)];
            return s * 3 - 0.1 * i;
          },
        })),
      };
      const { simd, ts } = both(spec);
      const batch = sampleContexts(rng, 'unif', d, n, size);
      expectSameBytes(simd.evaluate(batch.X, batch.Y, size, n, 1), ts.evaluate(batch.X, batch.Y, size, n, 1));
    });
  }

  it('many layers alive at once keep their own V, and an evaluation nested in a score function is exact', () => {
    const rng = Rng.fromSeed(99);
    const layers = Array.from({ length: 80 }, (_, i) => randomAttention(rng, 64, 4, 16 + (i % 3), 'softmax'));
    const batch = sampleContexts(rng, 'unif', 64, 2, 9);
    // 80 layers of ~1 MiB exceed the 64 MiB the kernels keep, so later layers evict earlier ones.
    const first = layers.map((l) => l.evaluate(batch.X, batch.Y, 9, 2, 1));
    layers.forEach((l, i) => {
      const again = l.evaluate(batch.X, batch.Y, 9, 2, 1);
      expectSameBytes(again, first[i]);
      expectSameBytes(again, new MultiHeadAttention(l.spec, { evaluator: 'ts' }).evaluate(batch.X, batch.Y, 9, 2, 1));
    });
    const inner = randomAttention(rng, 5, 2, 3);
    const innerX = sampleContexts(rng, 'unif', 5, 3, 70);
    const outer = randomAttention(rng, 5, 2, 2).spec;
    const nested: AttentionSpec = {
      ...outer,
      heads: outer.heads.map((h) => ({
        ...h,
        score: (p: Float64Array, X: Float64Array, off: number) =>
          p[0] * X[off] + inner.evaluate(innerX.X, innerX.Y, 70, 3, 1)[off % 5],
      })),
    };
    const { simd, ts } = both(nested);
    const b2 = sampleContexts(rng, 'unif', 5, 3, 67);
    expectSameBytes(simd.evaluate(b2.X, b2.Y, 67, 3, 1), ts.evaluate(b2.X, b2.Y, 67, 3, 1));
  });

  describe('RANKCHECK_EVALUATOR=ts', () => {
    afterEach(() => {
      vi.unstubAllEnvs();
      vi.resetModules();
    });
    it('forces the TypeScript reference, with the same outputs', async () => {
      vi.stubEnv('RANKCHECK_EVALUATOR', 'ts');
      vi.resetModules();
      const forced = await import('../../src/model/attention.js');
      const rng = Rng.fromSeed(3);
      const spec = randomAttention(rng, 10, 3, 6).spec;
      const layer = new forced.MultiHeadAttention(spec);
      expect(layer.evaluator).toBe('ts');
      const batch = sampleContexts(rng, 'unif', 10, 3, 65);
      expectSameBytes(
        layer.evaluate(batch.X, batch.Y, 65, 3, 1),
        new MultiHeadAttention(spec).evaluate(batch.X, batch.Y, 65, 3, 1),
      );
    });
  });

  it('the committed kernel bytes are the compilation of kernels.wat', () => {
    execFileSync(process.execPath, [join(root, 'scripts', 'build-wasm.mjs'), '--check'], { stdio: 'pipe' });
  });
});
