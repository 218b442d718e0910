import { beforeAll, describe, expect, it } from 'vitest';
import { meanInterval, momentsOf } from '../../src/core/stats.js';
import { evaluateTransformer } from '../../src/experiments/evaluate.js';
import { trainTransformer, type TrainSpec } from '../../src/experiments/train.js';
import { useBackend } from '../../src/training/backend.js';

beforeAll(async () => {
  await useBackend();
});

const SMALL: TrainSpec = {
  task: { kind: 'farthest', d: 4, n: 4, positional: 'none' },
  arch: { layers: 1, heads: 1, copies: 1, mlpWidth: 16 },
  steps: 200,
  batch: 64,
  learningRate: 0.03,
  seed: 1,
};

/** Mean held-out MSE over seeds 1…8 of `spec` with its 95% interval over the seeds. */
function seedMean(spec: TrainSpec): { mean: number; lo: number; hi: number } {
  const mses = Array.from({ length: 8 }, (_, k) => {
    const seed = k + 1;
    return evaluateTransformer(trainTransformer({ ...spec, seed }).weights, spec.task, seed, 1000).mse;
  });
  const m = momentsOf(mses);
  const iv = meanInterval(m, 0.95, 'student');
  return { mean: m.mean, lo: iv.lo, hi: iv.hi };
}

describe('the fused trainer against tfjs, the reference', () => {
  it('from the same weights and batches, the losses agree to float32 tolerance over the first steps', () => {
    const spec = {
      ...SMALL,
      task: { ...SMALL.task, positional: 'concat' as const },
      arch: { ...SMALL.arch, layers: 2, heads: 2 },
    };
    // A spec of T < 40 steps reports the loss of its last step (a one-step tail), after T − 1 updates.
    const gap = (s: TrainSpec) => {
      const tfjs = trainTransformer(s).finalLoss;
      return Math.abs(trainTransformer({ ...s, trainer: 'fused' }).finalLoss - tfjs) / tfjs;
    };
    for (const seed of [1, 2, 3]) {
      // Before any update only float32 rounding differs (measured ≤ 2e-7).
      expect(gap({ ...spec, seed, steps: 1 })).toBeLessThan(1e-6);
      // Adam's first update is ≈ lr·sign(g), so a gradient entry within rounding of 0 may step either way: measured
      // ≤ 4e-4 after one update and ≤ 2e-4 after nine; a learning rate off by a fifth moves the loss of the second
      // step by 2e-2 to 5e-2 (the last assertion), so 3e-3 separates the two.
      expect(gap({ ...spec, seed, steps: 2 })).toBeLessThan(3e-3);
      expect(gap({ ...spec, seed, steps: 10 })).toBeLessThan(3e-3);
      const tfjs = trainTransformer({ ...spec, seed, steps: 2 }).finalLoss;
      const faster = trainTransformer({
        ...spec,
        seed,
        steps: 2,
        learningRate: 1.2 * spec.learningRate,
        trainer: 'fused',
      });
      expect(Math.abs(faster.finalLoss - tfjs) / tfjs).toBeGreaterThan(3e-3);
    }
  });

  it('over 8 seeds the final held-out MSEs agree within their intervals, and a mistrained fused run would not', () => {
    const tfjs = seedMean(SMALL);
    const fused = seedMean({ ...SMALL, trainer: 'fused' });
    expect(fused.mean).toBeGreaterThan(tfjs.lo);
    expect(fused.mean).toBeLessThan(tfjs.hi);
    expect(tfjs.mean).toBeGreaterThan(fused.lo);
    expect(tfjs.mean).toBeLessThan(fused.hi);
    // The same comparison has the power to fail: a fused trainer at a quarter of the steps lands outside.
    const short = seedMean({ ...SMALL, steps: 50, trainer: 'fused' });
    expect(short.mean < tfjs.lo || short.mean > tfjs.hi).toBe(true);
  });
});
