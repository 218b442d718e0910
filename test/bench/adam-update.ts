/**
 * Training steps per second with Adam applied by tfjs's optimizer and by AdamUpdate (the same
 * bits), alternated in one process: the quick budget's transformer (d = 8, N = 8, MLP 32,
 * batch 128) and the search model (d = 32, r = 2, H = 16, batch 1024). Run with
 * `npx tsc -p . && node dist/test/bench/adam-update.js`.
 */
import { transformerLoop } from '../../src/experiments/train.js';
import { disposeTransformer } from '../../src/experiments/transformer.js';
import { trainingLoop } from '../../src/search/train.js';
import { disposeModel } from '../../src/search/trainable-attention.js';
import { runAdam, type AdamLoop } from '../../src/training/adam-loop.js';
import { useBackend } from '../../src/training/backend.js';

interface Setup {
  name: string;
  make(): { loop: AdamLoop; dispose(): void };
}

const quickTransformer: Setup = {
  name: 'transformer d=8 N=8 L=1 H=1 MLP 32 batch 128',
  make() {
    const { model, loop } = transformerLoop({
      task: { kind: 'farthest', d: 8, n: 8, positional: 'none' },
      arch: { layers: 1, heads: 1, copies: 1, mlpWidth: 32 },
      steps: 200,
      batch: 128,
      learningRate: 0.03,
      seed: 1,
    });
    return { loop, dispose: () => disposeTransformer(model) };
  },
};

const searchStep: Setup = {
  name: 'search d=32 r=2 H=16 N=2 batch 1024',
  make() {
    const { model, loop } = trainingLoop({
      shape: { d: 32, r: 2, heads: 16, n: 2, variant: 'plain' },
      dist: 'ortho',
      steps: 100,
      batch: 1024,
      learningRate: 0.01,
      initScale: 1,
      seed: 1,
    });
    return { loop, dispose: () => disposeModel(model) };
  },
};

const backend = await useBackend();
const rows: Record<string, string>[] = [];
for (const s of [quickTransformer, searchStep]) {
  const rate = (update: 'typed-array' | 'tfjs') => {
    const { loop, dispose } = s.make();
    try {
      const t0 = performance.now();
      runAdam({ ...loop, update });
      return (loop.steps / (performance.now() - t0)) * 1000;
    } finally {
      dispose();
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
