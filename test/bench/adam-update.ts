/**
 * Training steps per second with Adam applied by tfjs's optimizer and by AdamUpdate (the same
 * bits), alternated in one process: the quick budget's transformer (d = 8, N = 8, MLP 32,
 * batch 128) and the search model (d = 32, r = 2, H = 16, batch 1024). Run with
 * `npx tsc -p . && node dist/test/bench/adam-update.js`.
 */
import { runAdam, type AdamLoop } from '../../src/training/adam-loop.js';
import { useBackend } from '../../src/training/backend.js';
import { searchSetup, transformerSetup, type TrainingSetup } from '../training/small-models.js';

interface Setup {
  name: string;
  steps: number;
  adam: AdamLoop['adam'];
  make(): TrainingSetup;
}

const quickTransformer: Setup = {
  name: 'transformer d=8 N=8 L=1 H=1 MLP 32 batch 128',
  steps: 200,
  adam: { learningRate: 0.03, beta1: 0.9, beta2: 0.95, epsilon: 1e-8 },
  make: () =>
    transformerSetup(
      { kind: 'farthest', d: 8, n: 8, positional: 'none' },
      { layers: 1, heads: 1, copies: 1, mlpWidth: 32 },
      128,
      1,
    ),
};

const searchStep: Setup = {
  name: 'search d=32 r=2 H=16 N=2 batch 1024',
  steps: 100,
  adam: { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
  make: () => searchSetup({ d: 32, r: 2, heads: 16, n: 2, variant: 'plain' }, 1024, 1),
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
