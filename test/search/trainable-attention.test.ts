import { spawnSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { sampleContexts } from '../../src/core/sphere.js';
import { useBackend } from '../../src/training/backend.js';
import { searchForCounterexample } from '../../src/search/search.js';
import { learningRateAt } from '../../src/training/schedule.js';
import { trainFused } from '../../src/search/train-fused.js';
import { trainTfjs } from '../../src/search/train.js';
import {
  createModel,
  disposeModel,
  exportWeights,
  forward,
  toFloat64Layer,
  VARIANTS,
} from '../../src/search/trainable-attention.js';
import { findWitnesses } from '../../src/search/witness.js';

beforeAll(async () => {
  await useBackend();
});

describe('trainable attention', () => {
  for (const variant of VARIANTS) {
    it(`the tfjs forward pass equals the float64 evaluator on the same weights (${variant}), to float32 precision`, () => {
      const shape = { d: 6, r: 2, heads: 3, n: 2, variant };
      const model = createModel(shape, Rng.fromSeed(3), 1.5);
      // Non-zero extras, so that the bias and positional terms are exercised.
      if (model.bias) model.bias.assign(tf.randomNormal([3, 2], 0, 0.5, 'float32', 1));
      if (model.positions) model.positions.assign(tf.randomNormal([2, 6], 0, 0.5, 'float32', 2));
      const batch = sampleContexts(Rng.fromSeed(4), 'ortho', { d: 6, n: 2, size: 50 });
      const out = tf.tidy(() =>
        forward(
          model,
          tf.tensor2d(Float32Array.from(batch.Y), [50, 6]),
          tf.tensor3d(Float32Array.from(batch.X), [50, 2, 6]),
        ).dataSync(),
      );
      const exact = toFloat64Layer(exportWeights(model)).evaluate(batch.X, batch.Y, { size: 50, n: 2, m: 1 });
      disposeModel(model);
      // float32 inputs and weights (relative 6e-8) through sums of ≈ d·r·H terms: 1e-5 is ample.
      for (let i = 0; i < exact.length; i++)
        expect(Math.abs(out[i] - exact[i])).toBeLessThan(1e-5 * (1 + Math.abs(exact[i])));
    });
  }

  it('warms the learning rate up over 5% of the steps, then decays it by cosine to a tenth', () => {
    expect(learningRateAt(0, 1000, 0.01)).toBeCloseTo(0.01 / 50, 12);
    expect(learningRateAt(49, 1000, 0.01)).toBeCloseTo(0.01, 12);
    expect(learningRateAt(50, 1000, 0.01)).toBeCloseTo(0.01, 12);
    expect(learningRateAt(999, 1000, 0.01)).toBeCloseTo(0.001, 5);
  });

  for (const [trainer, train] of [
    ['tfjs', trainTfjs],
    ['fused', trainFused],
  ] as const)
    it(`training lowers the error well below the trivial predictor’s ½ (${trainer} trainer)`, () => {
      const r = train({
        shape: { d: 4, r: 3, heads: 1, n: 2, variant: 'plain' },
        dist: 'ortho',
        steps: 300,
        batch: 256,
        learningRate: 0.02,
        initScale: 1,
        seed: 1,
      });
      expect(r.finalLoss).toBeLessThan(0.25);
    });
});

describe('the search', () => {
  it('keeps the trainings that finished when interrupted', async () => {
    const abort = new AbortController();
    const res = await searchForCounterexample(
      {
        d: 4,
        r: 1,
        heads: 2,
        variant: 'plain',
        restarts: 3,
        steps: 50,
        batch: 64,
        evalSamples: 2000,
        level: 0.95,
        seed: 1,
      },
      { workers: 0, signal: abort.signal, onRestart: (done) => done === 1 && abort.abort() },
    );
    expect(res.complete).toBe(false);
    expect(res.restarts).toHaveLength(1);
  });

  it('finds witnesses in the support of D_2 where the low-rank model is wrong and the control right', async () => {
    const res = await searchForCounterexample(
      {
        d: 6,
        r: 1,
        heads: 2,
        variant: 'plain',
        restarts: 1,
        steps: 400,
        batch: 256,
        evalSamples: 5000,
        level: 0.95,
        seed: 2,
      },
      { workers: 0 },
    );
    const ws = findWitnesses(res.best!.weights, res.fullRank!.weights, {
      starts: 128,
      steps: 30,
      stepSize: 0.05,
      seed: 1,
      count: 2,
      controlTolerance: 0.1,
    });
    expect(ws.length).toBeGreaterThan(0);
    for (const w of ws) {
      const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);
      // Projected onto the support after every step: unit y, orthonormal x_1, x_2 (float32 ascent, float64 check).
      expect(Math.abs(dot(w.y, w.y) - 1)).toBeLessThan(1e-5);
      expect(Math.abs(dot(w.x[0], w.x[1]))).toBeLessThan(1e-5);
      expect(w.fullRankError).toBeLessThan(0.1);
      expect(w.lowRankError).toBeGreaterThan(w.fullRankError);
    }
  });
});

describe('backend choice', () => {
  /** The backend a fresh process loads after preferBackend(preference) (no call when undefined). */
  const pick = (preference?: string) =>
    spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { preferBackend } from './dist/src/training/backend-state.js'; import { useBackend } from './dist/src/training/backend.js'; Promise.resolve().then(() => { ${preference === undefined ? '' : `preferBackend(${JSON.stringify(preference)});`} return useBackend(); }).then((b) => console.log(b), (e) => { console.log('error: ' + e.message); });`,
      ],
      { encoding: 'utf8' },
    );

  it('uses wasm when tfjs-node is absent, and says nothing on stderr', () => {
    const r = pick();
    expect(r.stdout.trim()).toMatch(/^(node|wasm)$/);
    expect(r.stderr).toBe('');
  });

  it('follows the preferred backend, and refuses unknown or unavailable ones', () => {
    expect(pick('cpu').stdout.trim()).toBe('cpu');
    expect(pick('cpu').stderr).toBe('');
    expect(pick('gpu').stdout).toMatch(/unknown backend/);
  });
});
