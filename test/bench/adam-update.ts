/**
 * Training steps per second with Adam applied by tfjs's optimizer and by AdamUpdate (the same
 * bits), alternated in one process: the quick budget's transformer (d = 8, N = 8, MLP 32,
 * batch 128) and the search model (d = 32, r = 2, H = 16, batch 1024). Run with
 * `npx tsc -p . && node dist/test/bench/adam-update.js`.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../src/core/rng.js';
import { batchLoss } from '../../src/experiments/train.js';
import { outputDim, sampleTask, shapeFor, type ArchSpec, type TaskSpec } from '../../src/experiments/tasks.js';
import { createTransformer, disposeTransformer, initialWeights } from '../../src/experiments/transformer.js';
import { minibatch, nearestTask } from '../../src/search/train.js';
import { createModel, disposeModel, meanSquaredError } from '../../src/search/trainable-attention.js';
import { runAdam, type AdamLoop } from '../../src/training/adam-loop.js';
import { useBackend } from '../../src/training/backend.js';

interface Setup {
  name: string;
  steps: number;
  adam: AdamLoop['adam'];
  make(): { variables: tf.Variable[]; batch: AdamLoop['batch']; dispose(): void };
}

const quickTransformer: Setup = {
  name: 'transformer d=8 N=8 L=1 H=1 MLP 32 batch 128',
  steps: 200,
  adam: { learningRate: 0.03, beta1: 0.9, beta2: 0.95, epsilon: 1e-8 },
  make() {
    const task: TaskSpec = { kind: 'farthest', d: 8, n: 8, positional: 'none' };
    const arch: ArchSpec = { layers: 1, heads: 1, copies: 1, mlpWidth: 32 };
    const model = createTransformer(initialWeights(shapeFor(task, arch), Rng.fromSeed(1)));
    const data = Rng.fromSeed(2);
    return {
      variables: model.variables,
      batch: (step) => {
        const b = sampleTask(task, data.split(step), 128);
        const tokens = tf.tensor2d(Float32Array.from(b.tokens), [128 * task.n, b.tokens.length / (128 * task.n)]);
        const p = outputDim(task);
        const targets = tf.tensor2d(Float32Array.from(b.targets), [b.targets.length / p, p]);
        return { tensors: [tokens, targets], loss: () => batchLoss(model, task, tokens, targets, 128) };
      },
      dispose: () => disposeTransformer(model),
    };
  },
};

const searchStep: Setup = {
  name: 'search d=32 r=2 H=16 N=2 batch 1024',
  steps: 100,
  adam: { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
  make() {
    const shape = { d: 32, r: 2, heads: 16, n: 2, variant: 'plain' as const };
    const model = createModel(shape, Rng.fromSeed(1), 1);
    const task = nearestTask('ortho', 32, 2);
    const data = Rng.fromSeed(2);
    return {
      variables: model.variables,
      batch: (step) => {
        const b = minibatch(data.split(step), task, 32, 2, 1024);
        return { tensors: [b.Y, b.X, b.T], loss: () => meanSquaredError(model, b.Y, b.X, b.T) };
      },
      dispose: () => disposeModel(model),
    };
  },
};

const backend = await useBackend();
const rows: Record<string, string>[] = [];
for (const s of [quickTransformer, searchStep]) {
  const rate = (update: 'typed-array' | 'tfjs') => {
    const m = s.make();
    try {
      const t0 = performance.now();
      runAdam({ steps: s.steps, adam: s.adam, variables: m.variables, batch: m.batch, update });
      return (s.steps / (performance.now() - t0)) * 1000;
    } finally {
      m.dispose();
    }
  };
  rate('tfjs');
  rate('typed-array'); // warm-up
  const ratios: number[] = [];
  let last = { tfjs: 0, typed: 0 };
  for (let rep = 0; rep < 5; rep++) {
    const a = rate('tfjs');
    const b = rate('typed-array');
    ratios.push(b / a);
    last = { tfjs: a, typed: b };
  }
  ratios.sort((x, y) => x - y);
  rows.push({
    work: s.name,
    backend,
    'tfjs optimizer steps/s': last.tfjs.toFixed(1),
    'typed-array steps/s': last.typed.toFixed(1),
    'ratio (median of 5 pairs)': `${ratios[2].toFixed(2)}× (${ratios[0].toFixed(2)}–${ratios[4].toFixed(2)})`,
  });
}
console.table(rows);
