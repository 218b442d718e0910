import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { sampleContexts } from '../../src/core/sphere.js';
import { MultiHeadAttention } from '../../src/model/attention.js';
import { fullRankHead, randomAttention } from '../../src/model/constructions.js';
import { EVALUATORS } from '../../src/model/evaluator.js';
import { squaredErrors } from '../../src/model/monte-carlo.js';
import { nearestNeighbourIndex } from '../../src/model/targets.js';
import { naiveAttention } from './naive-attention.js';

function rows(a: Float64Array, offset: number, count: number, d: number): number[][] {
  return Array.from({ length: count }, (_, i) => Array.from(a.subarray(offset + i * d, offset + (i + 1) * d)));
}

// The specifications of the layer, on each kernel set (their bytes agree: attention-kernels.test.ts).
describe.each(EVALUATORS)('multi-head attention on the %s kernels', (evaluator) => {
  /** The layer with these weights on the kernels under test. */
  const on = (layer: MultiHeadAttention) => new MultiHeadAttention(layer.spec, { evaluator });

  it('runs the kernels asked for (this Node has WebAssembly SIMD)', () => {
    expect(on(randomAttention(Rng.fromSeed(1), 4, 2, 2)).evaluator).toBe(evaluator);
  });

  // Sums of ≤ 2d²·H products of O(1) terms in a different order: agreement to 1e-12 is ~1000 ulps.
  const TOL = 1e-12;

  for (const [d, r, H, n, norm] of [
    [6, 1, 3, 2, 'softmax'],
    [6, 4, 2, 5, 'softmax'], // r > d/2: the precomputed KQᵀ path
    [5, 2, 4, 3, 'hardmax'],
    [8, 8, 1, 7, 'softmax'],
  ] as const) {
    it(`matches the plain formula (d=${d}, r=${r}, H=${H}, N=${n}, ${norm}), batch not a multiple of the tile`, () => {
      const rng = Rng.fromSeed(d * 100 + r * 10 + H);
      const layer = on(randomAttention(rng, d, r, H, norm, 3));
      const batch = sampleContexts(rng, 'unif', { d, n, size: 7 });
      const out = layer.evaluate(batch.X, batch.Y, { size: 7, n, m: 1 });
      for (let b = 0; b < 7; b++) {
        const want = naiveAttention(
          layer.spec,
          rows(batch.X, b * n * d, n, d),
          Array.from(batch.Y.subarray(b * d, (b + 1) * d)),
        );
        for (let k = 0; k < d; k++) expect(Math.abs(out[b * d + k] - want[k])).toBeLessThan(TOL);
      }
    });
  }

  it('evaluates self-attention (every point a query) like the plain formula', () => {
    const rng = Rng.fromSeed(77);
    const layer = on(randomAttention(rng, 4, 2, 2));
    const batch = sampleContexts(rng, 'unif', { d: 4, n: 3, size: 2 });
    const out = layer.evaluate(batch.X, batch.X, { size: 2, n: 3, m: 3 });
    for (let b = 0; b < 2; b++) {
      const xs = rows(batch.X, b * 12, 3, 4);
      for (let j = 0; j < 3; j++) {
        const want = naiveAttention(layer.spec, xs, xs[j]);
        for (let k = 0; k < 4; k++) expect(Math.abs(out[(b * 3 + j) * 4 + k] - want[k])).toBeLessThan(TOL);
      }
    }
  });

  it('a generalized head scoring ⟨K Qᵀy, x_i⟩ through Q_hᵀy reproduces the standard head', () => {
    const rng = Rng.fromSeed(5);
    const std = on(randomAttention(rng, 6, 2, 2, 'softmax', 2));
    const general = new MultiHeadAttention(
      {
        ...std.spec,
        heads: std.spec.heads.map((h) => ({
          ...h,
          score: (p: Float64Array, X: Float64Array, off: number) => {
            let s = 0;
            for (let k = 0; k < 6; k++) s += (h.K[k * 2] * p[0] + h.K[k * 2 + 1] * p[1]) * X[off + k];
            return s;
          },
        })),
      },
      { evaluator },
    );
    const batch = sampleContexts(rng, 'unif', { d: 6, n: 4, size: 9 });
    const a = std.evaluate(batch.X, batch.Y, { size: 9, n: 4, m: 1 });
    const b = general.evaluate(batch.X, batch.Y, { size: 9, n: 4, m: 1 });
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(TOL);
  });

  it('softmax at β = 1e6 is finite and returns the nearest point', () => {
    const d = 16;
    const batch = sampleContexts(Rng.fromSeed(6), 'ortho', { d, n: 4, size: 200 });
    const out = on(fullRankHead(d, 1e6)).evaluate(batch.X, batch.Y, { size: 200, n: 4, m: 1 });
    expect(out.every(Number.isFinite)).toBe(true);
    const errs = squaredErrors(out, batch.X, nearestNeighbourIndex(batch.X, batch.Y, { size: 200, n: 4, d }), {
      size: 200,
      n: 4,
      m: 1,
      d,
    });
    // A score gap g leaves weight ≤ e^{−g} elsewhere; gaps below 1e−5 (β·gap < 10) occur with
    // probability ≈ 1e−5 per sample, so all 200 errors are below 4e^{−10}·… ≈ 1e−8.
    expect(Math.max(...errs)).toBeLessThan(1e-8);
  });
});

describe('multi-head attention weights', () => {
  it('rejects weights of the wrong shape', () => {
    expect(
      () =>
        new MultiHeadAttention({
          d: 3,
          r: 2,
          normalisation: 'softmax',
          heads: [{ Q: new Float64Array(6), K: new Float64Array(5), V: new Float64Array(9) }],
        }),
    ).toThrow(/head 0/);
    expect(() => new MultiHeadAttention({ d: 3, r: 4, normalisation: 'softmax', heads: [] })).toThrow(RangeError);
  });
});
