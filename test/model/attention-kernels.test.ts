import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runChunks } from '../../src/core/parallel.js';
import { Rng } from '../../src/core/rng.js';
import { sampleContexts } from '../../src/core/sphere.js';
import { MultiHeadAttention, type AttentionSpec, type Normalisation } from '../../src/model/attention.js';
import { randomAttention } from '../../src/model/constructions.js';
import { float64Label, useEvaluator } from '../../src/model/evaluator.js';
import { preferBackend } from '../../src/training/backend-state.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The .ts files under `dir` (relative to the repository root). */
function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every file `file` reaches through relative imports, itself included. */
function localImportsClosure(file: string, seen = new Set<string>()): string[] {
  if (seen.has(file)) return [...seen];
  seen.add(file);
  for (const m of readFileSync(join(root, file), 'utf8').matchAll(/from\s+'(\.[^']+)'/g))
    localImportsClosure(relative(root, resolve(root, dirname(file), m[1])).replace(/\.js$/, '.ts'), seen);
  return [...seen];
}

/** Byte-level equality of two Float64Arrays (stricter than ===: tells −0 from +0). */
function expectSameBytes(a: Float64Array, b: Float64Array) {
  expect(a.length).toBe(b.length);
  const ua = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const ub = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  let first = -1;
  for (let i = 0; i < ua.length && first < 0; i++) if (ua[i] !== ub[i]) first = i >> 3;
  expect(first, first < 0 ? '' : `element ${first}: ${a[first]} vs ${b[first]}`).toBe(-1);
}

/** Both layers give the same bytes on contexts X with the queries Y (one per sample), and as self-attention (m = n queries per sample). */
function expectSameOnBoth(
  { simd, ts }: { simd: MultiHeadAttention; ts: MultiHeadAttention },
  batch: { X: Float64Array; Y: Float64Array },
  size: number,
  n: number,
) {
  expectSameBytes(simd.evaluate(batch.X, batch.Y, { size, n, m: 1 }), ts.evaluate(batch.X, batch.Y, { size, n, m: 1 }));
  expectSameBytes(simd.evaluate(batch.X, batch.X, { size, n, m: n }), ts.evaluate(batch.X, batch.X, { size, n, m: n }));
}

/** The layer on both kernel sets. */
function both(spec: AttentionSpec) {
  const simd = new MultiHeadAttention(spec, { evaluator: 'wasm-simd' });
  const ts = new MultiHeadAttention(spec, { evaluator: 'ts' });
  return { simd, ts };
}

// The kernel sets against each other, byte for byte; the specifications both meet are in attention.test.ts.
describe('the WebAssembly SIMD and TypeScript kernel sets', () => {
  it('the SIMD set is available in this Node (so the comparisons below exercise it)', () => {
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
      const batch = sampleContexts(rng, 'unif', { d, n, size });
      expectSameOnBoth({ simd, ts }, batch, size, n);
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
      const batch = sampleContexts(rng, 'unif', { d, n, size });
      expectSameBytes(
        simd.evaluate(batch.X, batch.Y, { size, n, m: 1 }),
        ts.evaluate(batch.X, batch.Y, { size, n, m: 1 }),
      );
    });
  }

  /** The score path blockScores takes for an ordinary head (the choice in attention.ts and kernel-set.ts). */
  const path = (d: number, r: number, n: number) => (2 * r >= d ? 'M' : r * n <= 2 * (r + n) ? 'few' : 'many');

  // Every score path (K_hQ_hᵀ precomputed when 2r ≥ d; few points when r·n ≤ 2(r + n); many
  // points otherwise), both normalisations, N = 1 .. 16, d = 1 .. 70, sizes off multiples of 4 and 64.
  const grid: [number, number, number][] = [];
  for (const d of [1, 2, 3, 5, 7, 9, 12, 17, 33, 64, 69, 70])
    for (const r of new Set([1, 2, 3, 4, Math.floor(d / 2) - 1, Math.ceil(d / 2), d]))
      for (const n of [1, 2, 3, 5, 7, 11, 16]) if (r >= 1 && r <= d && (d + r + n) % 3 === 0) grid.push([d, r, n]);
  it('the score grid below reaches all three score paths', () => {
    const hits = { M: 0, few: 0, many: 0 };
    for (const [d, r, n] of grid) hits[path(d, r, n)]++;
    expect(hits.M).toBeGreaterThan(10);
    expect(hits.few).toBeGreaterThan(10);
    expect(hits.many).toBeGreaterThan(10);
  });
  for (const [d, r, n] of grid) {
    for (const norm of ['softmax', 'hardmax'] as const) {
      it(`bit-identical scores and weighted contexts: d=${d} r=${r} N=${n} (${path(d, r, n)}) ${norm}`, () => {
        const rng = Rng.fromSeed((d * 97 + r) * 31 + n + (norm === 'hardmax' ? 7 : 0));
        const H = 1 + ((d + n) % 5);
        const size = [1, 5, 63, 66][(d + r) % 4];
        const { simd, ts } = both(randomAttention(rng, d, r, H, norm, 2).spec);
        const batch = sampleContexts(rng, 'unif', { d, n, size });
        expectSameOnBoth({ simd, ts }, batch, size, n);
      });
    }
  }

  it('bit-identical on hardmax ties (duplicate context points), underflowing softmax weights and −0 entries', () => {
    for (const [d, r, n] of [
      [6, 3, 4],
      [9, 2, 3],
      [13, 4, 9],
      [64, 4, 2],
    ] as const) {
      for (const norm of ['softmax', 'hardmax'] as const) {
        const rng = Rng.fromSeed(d * 10 + n);
        // Scale 40: score gaps of hundreds, so softmax weights underflow to exactly 0.
        const spec = randomAttention(rng, d, r, 5, norm, 40).spec;
        const { simd, ts } = both(spec);
        const size = 67;
        const batch = sampleContexts(rng, 'unif', { d, n, size });
        for (let b = 0; b < size; b++) {
          // Point 1 (and for some samples every point) duplicates point 0: equal scores.
          const o = b * n * d;
          for (let i = 1; i < n; i++) if (i === 1 || b % 3 === 0) batch.X.copyWithin(o + i * d, o, o + d);
          if (b % 5 === 0) for (let k = 0; k < d; k += 2) batch.X[o + k] = -0;
        }
        expectSameOnBoth({ simd, ts }, batch, size, n);
      }
    }
  });

  it('skips zero weights as the reference does (hardmax next to a context point with NaN entries)', () => {
    for (const [d, r, n] of [
      [6, 3, 4],
      [13, 4, 9],
      [13, 2, 3],
    ] as const) {
      const rng = Rng.fromSeed(d + n);
      const { simd, ts } = both(randomAttention(rng, d, r, 3, 'hardmax', 2).spec);
      const size = 66;
      const batch = sampleContexts(rng, 'unif', { d, n, size });
      // The last point's score is NaN, so it never wins; 0·NaN would poison z if it were not skipped.
      for (let b = 0; b < size; b += 2) batch.X[(b * n + n - 1) * d] = NaN;
      const out = simd.evaluate(batch.X, batch.Y, { size, n, m: 1 });
      expect(out.every(Number.isFinite)).toBe(true);
      expectSameBytes(out, ts.evaluate(batch.X, batch.Y, { size, n, m: 1 }));
    }
  });

  for (const [d, r, n, norm] of [
    [8, 4, 3, 'softmax'],
    [20, 3, 9, 'hardmax'],
    [30, 2, 2, 'softmax'],
  ] as const) {
    it(`bit-identical on a layer mixing generalized and ordinary heads: d=${d} r=${r} N=${n} ${norm}`, () => {
      const rng = Rng.fromSeed(d * 77 + n);
      const base = randomAttention(rng, d, r, 7, norm, 2).spec;
      const spec: AttentionSpec = {
        ...base,
        heads: base.heads.map((h, hi) =>
          hi % 3 === 1
            ? {
                ...h,
                score: (p: Float64Array, X: Float64Array, off: number, i: number) => p[0] * X[off + (hi % d)] - 0.2 * i,
              }
            : h,
        ),
      };
      const { simd, ts } = both(spec);
      const size = 70;
      const batch = sampleContexts(rng, 'unif', { d, n, size });
      expectSameOnBoth({ simd, ts }, batch, size, n);
    });
  }

  it('one layer evaluated with changing N (its kernel region regrows) stays exact', () => {
    const rng = Rng.fromSeed(5);
    const { simd, ts } = both(randomAttention(rng, 11, 3, 4).spec);
    for (const n of [2, 16, 1, 9, 40, 3]) {
      const batch = sampleContexts(rng, 'unif', { d: 11, n, size: 65 });
      expectSameOnBoth({ simd, ts }, batch, 65, n);
    }
  });

  it('many layers alive at once keep their own V, and an evaluation nested in a score function is exact', () => {
    const rng = Rng.fromSeed(99);
    const layers = Array.from({ length: 80 }, (_, i) => randomAttention(rng, 64, 4, 16 + (i % 3), 'softmax'));
    const batch = sampleContexts(rng, 'unif', { d: 64, n: 2, size: 9 });
    // 80 layers of ~1 MiB exceed the 64 MiB the kernels keep, so later layers evict earlier ones.
    const first = layers.map((l) => l.evaluate(batch.X, batch.Y, { size: 9, n: 2, m: 1 }));
    layers.forEach((l, i) => {
      const again = l.evaluate(batch.X, batch.Y, { size: 9, n: 2, m: 1 });
      expectSameBytes(again, first[i]);
      expectSameBytes(
        again,
        new MultiHeadAttention(l.spec, { evaluator: 'ts' }).evaluate(batch.X, batch.Y, { size: 9, n: 2, m: 1 }),
      );
    });
    const inner = randomAttention(rng, 5, 2, 3);
    const innerX = sampleContexts(rng, 'unif', { d: 5, n: 3, size: 70 });
    const outer = randomAttention(rng, 5, 2, 2).spec;
    const nested: AttentionSpec = {
      ...outer,
      heads: outer.heads.map((h) => ({
        ...h,
        score: (p: Float64Array, X: Float64Array, off: number) =>
          p[0] * X[off] + inner.evaluate(innerX.X, innerX.Y, { size: 70, n: 3, m: 1 })[off % 5],
      })),
    };
    const { simd, ts } = both(nested);
    const b2 = sampleContexts(rng, 'unif', { d: 5, n: 3, size: 67 });
    expectSameBytes(
      simd.evaluate(b2.X, b2.Y, { size: 67, n: 3, m: 1 }),
      ts.evaluate(b2.X, b2.Y, { size: 67, n: 3, m: 1 }),
    );
  });

  describe("the thread's choice (useEvaluator)", () => {
    afterEach(() => {
      useEvaluator('wasm-simd');
      preferBackend(undefined);
    });

    it("'ts' makes the layers made from then on run the TypeScript kernels, with the same outputs", () => {
      const rng = Rng.fromSeed(3);
      const spec = randomAttention(rng, 10, 3, 6).spec;
      const before = new MultiHeadAttention(spec);
      useEvaluator('ts');
      const layer = new MultiHeadAttention(spec);
      expect([before.evaluator, layer.evaluator, float64Label()]).toEqual(['wasm-simd', 'ts', 'float64-js']);
      const batch = sampleContexts(rng, 'unif', { d: 10, n: 3, size: 65 });
      expectSameBytes(
        layer.evaluate(batch.X, batch.Y, { size: 65, n: 3, m: 1 }),
        before.evaluate(batch.X, batch.Y, { size: 65, n: 3, m: 1 }),
      );
    });

    it('reaches the worker threads of runChunks, as the evaluator and the preferred tfjs backend they use', async () => {
      useEvaluator('ts');
      preferBackend('cpu');
      const probe = pathToFileURL(join(root, 'dist', 'test', 'model', 'numerics-probe-worker.js'));
      const run = await runChunks(1, null, () => null, probe, { workers: 1 });
      expect(run.workersUsed).toBe(1);
      expect(run.results).toEqual([{ evaluator: 'ts', label: 'float64-js', backend: 'cpu' }]);
      useEvaluator('wasm-simd');
      preferBackend(undefined);
      const again = await runChunks(1, null, () => null, probe, { workers: 1 });
      expect(again.results).toEqual([{ evaluator: 'wasm-simd', label: 'float64-wasm-simd', backend: undefined }]);
    });

    it('every worker entry in src/ either serves through serveChunks (which passes the choice on), or is the side lane (which adopts it), or reaches neither model/ nor training/, or is a product helper of the fused trainer', () => {
      const entries = sourceFiles('src').filter((f) => readFileSync(join(root, f), 'utf8').includes('new Worker('));
      expect(entries.sort()).toEqual([
        'src/audit/lanes.ts',
        'src/core/parallel.ts',
        'src/theory/kernel-build.ts',
        'src/training/product-threads.ts',
      ]);
      const kernelBuild = localImportsClosure('src/theory/kernel-build-worker.ts');
      expect(kernelBuild.filter((f) => /^src\/(model|training)\//.test(f))).toEqual([]);
      // The fused trainer's product helpers run products.wat on the memory they are given, nothing that a choice governs.
      expect(localImportsClosure('src/training/product-worker.ts').sort()).toEqual([
        'src/training/product-slots.ts',
        'src/training/product-worker.ts',
        'src/training/wasm-module.ts',
        'src/training/wasm/products.generated.ts',
      ]);
      const served = sourceFiles('src').filter(
        (f) =>
          f.endsWith('-worker.ts') &&
          f !== 'src/theory/kernel-build-worker.ts' &&
          f !== 'src/training/product-worker.ts' &&
          f !== 'src/audit/lane-worker.ts',
      );
      expect(readFileSync(join(root, 'src/audit/lane-worker.ts'), 'utf8')).toMatch(
        /inheritSettings\(start\.settings\)/,
      );
      for (const f of served) expect(readFileSync(join(root, f), 'utf8'), f).toMatch(/await serveChunks\(/);
    });
  });

  it('the committed kernel bytes are the compilations of every WAT module (kernels.wat; products.wat, attention.wat and elementwise.wat of training)', () => {
    execFileSync(process.execPath, [join(root, 'scripts', 'build-wasm.mjs'), '--check'], { stdio: 'pipe' });
  });
});
