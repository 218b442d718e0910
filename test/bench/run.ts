/**
 * Monte Carlo throughput of the exact float64 attention evaluator, in samples per second.
 * Run with `npm run bench`; `npm run bench:compare` measures configs A and B against PyTorch side
 * by side.
 */
import { Bench } from 'tinybench';
import { Rng } from '../../src/core/rng.js';
import { sampleContexts, type ContextDistribution } from '../../src/core/sphere.js';
import { randomAttention } from '../../src/model/constructions.js';
import { batchErrors, estimateError, sampleErrors } from '../../src/model/monte-carlo.js';

interface Config {
  name: string;
  d: number;
  r: number;
  heads: number;
  n: number;
  dist: ContextDistribution;
}

const CONFIGS: Config[] = [
  { name: 'A: d=64, r=4, H=16, N=2 (D_2)', d: 64, r: 4, heads: 16, n: 2, dist: 'ortho' },
  { name: 'B: d=64, N=16, full rank, H=1 (unif)', d: 64, r: 64, heads: 1, n: 16, dist: 'unif' },
  { name: 'B′: d=64, N=16, full rank, H=1 (D_16)', d: 64, r: 64, heads: 1, n: 16, dist: 'ortho' },
];

const BATCH = 1024;
const rows: Record<string, string>[] = [];

for (const c of CONFIGS) {
  const layer = randomAttention(Rng.fromSeed(1), c.d, c.r, c.heads);
  const task = { target: { kind: 'nearest' as const }, dist: c.dist, n: c.n };
  const fixed = sampleContexts(Rng.fromSeed(2), c.dist, { d: c.d, n: c.n, size: BATCH });
  const buffers = { X: new Float64Array(BATCH * c.n * c.d), Y: new Float64Array(BATCH * c.d) };
  let stream = 0;
  const bench = new Bench({ time: 2000, warmupTime: 300 });
  bench
    .add('sample only', () => {
      sampleContexts(Rng.fromSeed(3).split(stream++), c.dist, { d: c.d, n: c.n, size: BATCH }, undefined, buffers);
    })
    .add('evaluate + error only', () => {
      batchErrors(layer, task.target, fixed);
    })
    .add('sample + evaluate + error (1 thread)', () => {
      sampleErrors(layer, task, Rng.fromSeed(3).split(stream++), BATCH);
    });
  await bench.run();
  for (const t of bench.tasks) {
    const mean = t.result && 'latency' in t.result ? t.result.latency.mean : NaN; // ms per batch
    rows.push({ config: c.name, task: t.name, 'samples/s': Math.round((BATCH / mean) * 1000).toLocaleString('en-US') });
  }
  // Both cores through worker threads, including their start-up, on a run of 400k samples.
  const samples = 400_000;
  const times: number[] = [];
  for (let rep = 0; rep < 3; rep++) {
    const t0 = performance.now();
    await estimateError({ ...task, layer: layer.spec }, { samples, seed: rep, workers: 2 });
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  rows.push({
    config: c.name,
    task: 'estimateError, 2 worker threads (median of 3)',
    'samples/s': Math.round((samples / times[1]) * 1000).toLocaleString('en-US'),
  });
}

console.table(rows);
