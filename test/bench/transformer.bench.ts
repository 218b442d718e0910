/**
 * Training throughput of the Section-7 transformer (Adam steps per second, a fresh farthest-
 * neighbour batch sampled every step, included): the paper's layer d = 64, N = 16, L = 1, H = 4,
 * MLP width 2048, batch 256, and the quick budget's d = 8, N = 8, MLP 32, batch 128, by the tfjs
 * trainer and by the fused one (train-fused.ts), with their ratio. Run with
 * `npm run bench`; `npm run bench:compare` measures the paper's step against PyTorch side by side.
 */
import { Bench } from 'tinybench';
import { useBackend } from '../../src/training/backend.js';
import { trainTransformer, type TrainSpec } from '../../src/experiments/train.js';
import { trainTransformerFused } from '../../src/experiments/train-fused.js';

const backend = await useBackend();
const configs: { name: string; spec: TrainSpec }[] = [
  {
    name: 'paper layer: d=64, N=16, L=1, H=4, MLP 2048, batch 256',
    spec: {
      task: { kind: 'farthest', d: 64, n: 16, positional: 'none' },
      arch: { layers: 1, heads: 4, copies: 1, mlpWidth: 2048 },
      steps: 4,
      batch: 256,
      learningRate: 0.01,
      seed: 1,
    },
  },
  {
    name: 'quick budget: d=8, N=8, L=1, H=1, MLP 32, batch 128',
    spec: {
      task: { kind: 'farthest', d: 8, n: 8, positional: 'none' },
      arch: { layers: 1, heads: 1, copies: 1, mlpWidth: 32 },
      steps: 50,
      batch: 128,
      learningRate: 0.03,
      seed: 1,
    },
  },
];

const trainers = { tfjs: trainTransformer, fused: trainTransformerFused };
const rows: Record<string, string>[] = [];
for (const c of configs) {
  const perSecond: Record<string, number> = {};
  for (const [name, train] of Object.entries(trainers)) {
    // Each iteration trains `steps` steps from scratch; initialisation is negligible next to them.
    const bench = new Bench({ iterations: 3, time: 0, warmupIterations: 1, warmupTime: 0 });
    bench.add(c.name, () => {
      train(c.spec);
    });
    await bench.run();
    const t = bench.tasks[0];
    const mean = t.result && 'latency' in t.result ? t.result.latency.mean : NaN; // ms per iteration
    perSecond[name] = (c.spec.steps / mean) * 1000;
  }
  rows.push({
    config: c.name,
    backend,
    'tfjs steps/s': perSecond.tfjs.toFixed(2),
    'fused steps/s': perSecond.fused.toFixed(2),
    'fused / tfjs': (perSecond.fused / perSecond.tfjs).toFixed(2),
  });
}
console.table(rows);
