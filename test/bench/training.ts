/**
 * Training throughput of the counterexample search: Adam steps per second for d = 32, r = 2,
 * H = 16, N = 2, batch 1024 (fresh D_2 batch every step, sampling included). Run with
 * `npm run bench`, by both trainers; `npm run bench:compare` measures the first against PyTorch side by side.
 */
import { useBackend } from '../../src/training/backend.js';
import { trainFused } from '../../src/search/train-fused.js';
import { trainTfjs } from '../../src/search/train.js';

const backend = await useBackend();
const rows: Record<string, string | number>[] = [];
for (const [d, r, heads, batch] of [
  [32, 2, 16, 1024],
  [8, 1, 16, 512],
  [64, 4, 16, 256],
] as const)
  for (const [trainer, train] of [
    ['tfjs', trainTfjs],
    ['fused', trainFused],
  ] as const) {
    const shape = { d, r, heads, n: 2, variant: 'plain' as const };
    train({ shape, dist: 'ortho', steps: 20, batch, learningRate: 0.01, initScale: 1, seed: 0 }); // warm-up
    const steps = 200;
    const res = train({ shape, dist: 'ortho', steps, batch, learningRate: 0.01, initScale: 1, seed: 1 });
    const perSecond = (steps / res.milliseconds) * 1000;
    rows.push({
      config: `d=${d}, r=${r}, H=${heads}, N=2, batch ${batch}`,
      trainer,
      backend: trainer === 'tfjs' ? backend : 'wasm-simd',
      'steps/s': perSecond.toFixed(1),
    });
  }
console.table(rows);
