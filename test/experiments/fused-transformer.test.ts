import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { forwardSequence } from '../../src/experiments/forward64.js';
import { FusedTransformer } from '../../src/experiments/fused-transformer.js';
import { sampleTask, scoredTokens, type TaskSpec } from '../../src/experiments/tasks.js';
import { batchLoss } from '../../src/experiments/train.js';
import { createTransformer, disposeTransformer, exportTransformer } from '../../src/experiments/transformer.js';
import type { TransformerWeights } from '../../src/experiments/weights.js';
import { useBackend } from '../../src/training/backend.js';
import type { FloatArray, FloatSpace } from '../../src/training/float-space.js';
import { inFloat32Space } from '../../src/training/float32-space.js';
import { float64Space } from '../../src/training/float64-space.js';
import { directionalPairs } from '../training/central-differences.js';
import { CASES, livelyWeights } from './transformer-cases.js';

beforeAll(async () => {
  await useBackend();
});

const BATCH = 3;

/** Weights of a case with every parameter away from its initial value (positions and readout included). */
function caseWeights(c: (typeof CASES)[number]): TransformerWeights {
  const w = livelyWeights(c.task, c.arch, 5);
  if (w.positions) for (let k = 0; k < w.positions.length; k++) w.positions[k] = 0.5 * Math.sin(k);
  if (w.readout) for (let k = 0; k < w.readout.W.length; k++) w.readout.W[k] += 0.2 * Math.cos(k);
  if (w.embed) for (let k = 0; k < w.embed.b.length; k++) w.embed.b[k] = 0.1 * Math.cos(3 * k);
  return w;
}

/** A model of the case in `space`, loaded with `w` and one batch of BATCH sequences. */
function loaded(c: (typeof CASES)[number], w: TransformerWeights, space: FloatSpace | 'float32'): FusedTransformer {
  const make = (s: FloatSpace) => new FusedTransformer(w.shape, BATCH, scoredTokens(c.task), s);
  const model = space === 'float32' ? inFloat32Space(make) : make(space);
  model.load(w);
  const b = sampleTask(c.task, Rng.fromSeed(11), BATCH);
  model.tokens.set(b.tokens);
  model.targets.set(b.targets);
  return model;
}

/** The batch loss of exported weights by the scoring forward pass (forward64), for the model's own batch. */
function scoredLoss(w: TransformerWeights, task: TaskSpec, tokens: FloatArray, targets: FloatArray): number {
  const n = task.n;
  const inDim = w.shape.inputDim;
  const p = w.shape.outputDim ?? w.shape.width;
  const last = scoredTokens(task) === 'last';
  let total = 0;
  for (let s = 0; s < BATCH; s++) {
    const out = forwardSequence(w, Float64Array.from(tokens), s * n * inDim);
    for (let j = last ? n - 1 : 0; j < n; j++)
      for (let k = 0; k < p; k++) {
        const t = last ? s * p + k : (s * n + j) * p + k;
        total += (out[j * p + k] - targets[t]) ** 2;
      }
  }
  return total / (last ? BATCH : BATCH * n);
}

describe('the fused transformer step', () => {
  for (const c of CASES) {
    it(`its float64 loss is the scoring forward pass's, and its gradient matches central differences: ${c.name}`, () => {
      const w = caseWeights(c);
      const model = loaded(c, w, float64Space());
      const loss = model.lossAndGradient();
      // Both sides are float64 sums of the same terms in other orders: 1e-12 relative is rounding.
      expect(Math.abs(loss - scoredLoss(w, c.task, model.tokens, model.targets))).toBeLessThan(1e-12 * (1 + loss));
      for (const pair of directionalPairs(model))
        // Central differences at h = 1e-6 err by ~h²·(third derivative) ≈ 1e-12 plus rounding ε·f/h ≈ 1e-10 per unit
        // of ‖u‖; a wrong term of the backward pass (a missing skip, a transposed product, a norm's projection) shows
        // at 1e-3 or more.
        expect(Math.abs(pair.numeric - pair.analytic)).toBeLessThan(1e-6 * (1 + pair.norm));
    });
  }

  for (const c of CASES) {
    it(`in float32 WebAssembly it has tfjs's gradients to float32 precision: ${c.name}`, () => {
      const w = caseWeights(c);
      const fused = loaded(c, w, 'float32');
      const fusedLoss = fused.lossAndGradient();
      const tfModel = createTransformer(w);
      const p = w.shape.outputDim ?? w.shape.width;
      const { value, grads } = tf.tidy(() => {
        const tokens = tf.tensor2d(Float32Array.from(fused.tokens), [BATCH * c.task.n, w.shape.inputDim]);
        const targets = tf.tensor2d(Float32Array.from(fused.targets), [fused.targets.length / p, p]);
        return tf.variableGrads(() => batchLoss(tfModel, c.task, tokens, targets, BATCH), tfModel.variables);
      });
      // Both start from the same float32 weights.
      expect(exportTransformer(tfModel)).toEqual(fused.weights());
      const reference = tfModel.variables.map((v) => grads[v.name].dataSync());
      const loss = value.dataSync()[0];
      tf.dispose([value, ...Object.values(grads)]);
      disposeTransformer(tfModel);
      expect(Math.abs(fusedLoss - loss)).toBeLessThan(1e-5 * (1 + loss));
      const mine = fused.gradients();
      expect(mine.length).toBe(reference.length);
      reference.forEach((r, a) => {
        const scale = Math.max(1, ...Array.from(r, Math.abs));
        for (let k = 0; k < r.length; k++) {
          // float32 (relative 6e-8) through ≤ 3 layers of sums of ≤ 64 terms, norms and softmaxes, forward and back:
          // 1e-4 of the array's scale is ample, and a wrong gradient is off by its own size.
          expect(Math.abs(mine[a][k] - r[k])).toBeLessThan(1e-4 * scale);
        }
      });
    });
  }
});
