import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { forwardSequence } from '../../src/experiments/forward64.js';
import { sampleTask, shapeFor } from '../../src/experiments/tasks.js';
import { trainTransformer } from '../../src/experiments/train.js';
import {
  affine,
  createTransformer,
  disposeTransformer,
  exportTransformer,
  forwardTransformer,
  linear,
  plainBatchMatMul,
} from '../../src/experiments/transformer.js';
import { useBackend } from '../../src/training/backend.js';
import { CASES, livelyWeights } from './transformer-cases.js';

beforeAll(async () => {
  await useBackend();
});

describe('the Section-7 transformer', () => {
  for (const c of CASES) {
    it(`tfjs (float32) and the float64 forward pass agree to float32 precision: ${c.name}`, () => {
      const w = livelyWeights(c.task, c.arch, 5);
      if (w.positions) for (let k = 0; k < w.positions.length; k++) w.positions[k] = 0.5 * Math.sin(k);
      if (w.readout) for (let k = 0; k < w.readout.W.length; k++) w.readout.W[k] += 0.2 * Math.cos(k);
      const B = 20;
      const batch = sampleTask(c.task, Rng.fromSeed(9), B);
      const inDim = w.shape.inputDim;
      const model = createTransformer(w);
      const out = tf.tidy(() =>
        forwardTransformer(model, tf.tensor2d(Float32Array.from(batch.tokens), [B * c.task.n, inDim]), B).dataSync(),
      );
      // The weights tfjs holds are float32 roundings of w: export them so that both sides compute with the same numbers.
      const same = exportTransformer(model);
      disposeTransformer(model);
      const width = w.shape.outputDim ?? w.shape.width;
      let worst = 0;
      for (let s = 0; s < B; s++) {
        const exact = forwardSequence(same, Float64Array.from(Float32Array.from(batch.tokens)), s * c.task.n * inDim);
        for (let k = 0; k < exact.length; k++)
          worst = Math.max(worst, Math.abs(out[s * c.task.n * width + k] - exact[k]) / (1 + Math.abs(exact[k])));
      }
      // float32 arithmetic (relative 6e-8) through ≤ 3 layers of sums of ≤ 64 terms and two norms each: 2e-5 is ample, and a
      // wrong head split, copy average or norm shows up at 1e-2 or more.
      expect(worst).toBeLessThan(2e-5);
    });
  }

  it('plainBatchMatMul has the gradients of matMul', () => {
    const a = tf.randomNormal([3, 4, 5], 0, 1, 'float32', 1) as tf.Tensor3D;
    const b = tf.randomNormal([3, 5, 2], 0, 1, 'float32', 2) as tf.Tensor3D;
    const weight = tf.randomNormal([3, 4, 2], 0, 1, 'float32', 3);
    const f = (op: (x: tf.Tensor3D, y: tf.Tensor3D) => tf.Tensor3D) =>
      tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(op(x as tf.Tensor3D, y as tf.Tensor3D), weight)))([a, b]);
    const mine = f(plainBatchMatMul);
    const ref = f((x, y) => tf.matMul(x, y));
    for (let k = 0; k < 2; k++) {
      const m = mine[k].dataSync();
      const r = ref[k].dataSync();
      for (let i = 0; i < r.length; i++) expect(m[i]).toBeCloseTo(r[i], 4);
    }
  });

  for (const [rows, k, n] of [
    [6, 3, 5],
    [6, 5, 2],
  ]) {
    it(`affine and linear have the gradients of matMul + bias (x ${rows}×${k}, W ${k}×${n}: dW the ${rows * k <= rows * n + k * n ? 'direct' : 'transposed'} way)`, () => {
      const x = tf.randomNormal([rows, k], 0, 1, 'float32', 4) as tf.Tensor2D;
      const W = tf.variable(tf.randomNormal([k, n], 0, 1, 'float32', 5));
      const b = tf.variable(tf.randomNormal([n], 0, 1, 'float32', 6));
      const weight = tf.randomNormal([rows, n], 0, 1, 'float32', 7);
      const mine = tf.variableGrads(() => tf.sum(tf.mul(affine(x, W, b), weight)) as tf.Scalar, [W, b]);
      const mineLinear = tf.variableGrads(() => tf.sum(tf.mul(linear(x, W), weight)) as tf.Scalar, [W]);
      const refW = tf.matMul(tf.transpose(x), weight).dataSync();
      const refB = tf.sum(weight, 0).dataSync();
      for (let i = 0; i < refW.length; i++) {
        expect(mine.grads[W.name].dataSync()[i]).toBeCloseTo(refW[i], 4);
        expect(mineLinear.grads[W.name].dataSync()[i]).toBeCloseTo(refW[i], 4);
      }
      for (let i = 0; i < refB.length; i++) expect(mine.grads[b.name].dataSync()[i]).toBeCloseTo(refB[i], 4);
      const dx = tf
        .grad((xx: tf.Tensor) => tf.sum(tf.mul(affine(xx as tf.Tensor2D, W, b), weight)))(x)
        .dataSync();
      const refX = tf.matMul(weight, tf.transpose(W)).dataSync();
      for (let i = 0; i < refX.length; i++) expect(dx[i]).toBeCloseTo(refX[i], 4);
      W.dispose();
      b.dispose();
    });
  }

  it('training is deterministic: the same seed gives bit-identical weights after a few steps, another seed others', () => {
    const spec = {
      task: { kind: 'farthest' as const, d: 4, n: 4, positional: 'concat' as const },
      arch: { layers: 2, heads: 2, copies: 2, mlpWidth: 8 },
      steps: 5,
      batch: 16,
      learningRate: 0.01,
      seed: 3,
    };
    const a = trainTransformer(spec).weights;
    const b = trainTransformer(spec).weights;
    const c = trainTransformer({ ...spec, seed: 4 }).weights;
    expect(Array.from(a.layers[1].Wq)).toEqual(Array.from(b.layers[1].Wq));
    expect(Array.from(a.readout!.W)).toEqual(Array.from(b.readout!.W));
    expect(a.layers[0].g1).toBe(b.layers[0].g1);
    expect(Array.from(a.layers[1].Wq)).not.toEqual(Array.from(c.layers[1].Wq));
  });

  it('training moves the released design’s appended positions, and its output stays the first d coordinates', () => {
    const spec = {
      task: {
        kind: 'farthest' as const,
        d: 4,
        n: 4,
        positional: 'concat' as const,
        positionDesign: 'released' as const,
      },
      arch: { layers: 1, heads: 4, copies: 1, mlpWidth: 8 },
      steps: 5,
      batch: 16,
      learningRate: 0.01,
      seed: 5,
    };
    const trained = trainTransformer(spec).weights;
    expect(trained.positions!.length).toBe(4 * shapeFor(spec.task, spec.arch).appendedPositions);
    expect(trained.readout).toBeNull();
    const again = trainTransformer({ ...spec, steps: 6 }).weights;
    expect(Array.from(again.positions!)).not.toEqual(Array.from(trained.positions!));
  });

  it('a few hundred steps take one full-rank head far below the trivial MSE 1 on farthest neighbour', async () => {
    const { evaluateTransformer } = await import('../../src/experiments/evaluate.js');
    const task = { kind: 'farthest' as const, d: 4, n: 4, positional: 'none' as const };
    const trained = trainTransformer({
      task,
      arch: { layers: 1, heads: 1, copies: 1, mlpWidth: 16 },
      steps: 150,
      batch: 64,
      learningRate: 0.03,
      seed: 1,
    });
    const ev = evaluateTransformer(trained.weights, task, 1, 500);
    expect(ev.ci[1]).toBeLessThan(0.8);
    expect(ev.ci[0]).toBeLessThanOrEqual(ev.mse);
  });
});
