import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { sampleContexts } from '../../src/core/sphere.js';
import { useBackend } from '../../src/training/backend.js';
import { evaluateTwoLayer, evaluateTwoLayerTf, trainTwoLayer } from '../../src/search/two-layer.js';

beforeAll(async () => {
  await useBackend();
});

describe('trainable two-layer attention with concatenated positions', () => {
  const cfg = {
    shape: { d: 5, n: 3, r: 2, heads: 2 },
    dist: 'unif' as const,
    steps: 20,
    batch: 64,
    learningRate: 0.01,
    initScale: 1.5,
    seed: 7,
  };

  it('the float64 evaluator and the tfjs pass agree on trained weights, to float32 precision', () => {
    const w = trainTwoLayer(cfg);
    const b = sampleContexts(Rng.fromSeed(2), 'unif', { d: 5, n: 3, size: 40 });
    const exact = evaluateTwoLayer(w, b.X, b.Y, 40);
    const f32 = evaluateTwoLayerTf(w, b.X, b.Y, 40);
    // Two layers of float32 sums over ≈ (d+N)·r·H terms plus a readout: 1e-5 relative is ample.
    for (let i = 0; i < exact.length; i++)
      expect(Math.abs(f32[i] - exact[i])).toBeLessThan(1e-5 * (1 + Math.abs(exact[i])));
  });

  it('the same seed trains the same weights', () => {
    const a = trainTwoLayer(cfg);
    const b = trainTwoLayer(cfg);
    expect(Array.from(b.readout)).toEqual(Array.from(a.readout));
    expect(Array.from(b.layers[1].V)).toEqual(Array.from(a.layers[1].V));
  });
});
