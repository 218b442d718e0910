/**
 * The WebAssembly SIMD value product against the TypeScript reference kernel, in one process,
 * alternating (the machine may be shared): evaluation + error of fixed batches, and sampling +
 * evaluation + error, on one thread. Prints per config the median throughput of each and the
 * median and range of the per-pair ratios wasm/TS. Run: npx tsc -p . && node dist/test/bench/simd.js
 */
import { Rng } from '../../src/core/rng.js';
import { sampleContexts, type ContextDistribution } from '../../src/core/sphere.js';
import { MultiHeadAttention } from '../../src/model/attention.js';
import { randomAttention } from '../../src/model/constructions.js';
import { batchErrors, sampleErrors } from '../../src/model/monte-carlo.js';

const CONFIGS: { name: string; d: number; r: number; heads: number; n: number; dist: ContextDistribution }[] = [
  { name: 'A: d=64 r=4 H=16 N=2 (D_2)', d: 64, r: 4, heads: 16, n: 2, dist: 'ortho' },
  { name: 'B: d=64 full rank H=1 N=16 (unif)', d: 64, r: 64, heads: 1, n: 16, dist: 'unif' },
];
const BATCH = 1024;
const reps = Number(process.argv[2] ?? 5);
const seconds = Number(process.argv[3] ?? 1);

function rate(run: () => void): number {
  const t0 = performance.now();
  let batches = 0;
  while (performance.now() - t0 < seconds * 1000) {
    run();
    batches++;
  }
  return (batches * BATCH) / ((performance.now() - t0) / 1000);
}

const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

for (const c of CONFIGS) {
  const spec = randomAttention(Rng.fromSeed(1), c.d, c.r, c.heads).spec;
  const layers = { wasm: new MultiHeadAttention(spec), ts: new MultiHeadAttention(spec, { evaluator: 'ts' }) };
  if (layers.wasm.evaluator !== 'wasm-simd') throw new Error('WebAssembly SIMD is unavailable');
  const task = { target: { kind: 'nearest' as const }, dist: c.dist, n: c.n };
  const fixed = sampleContexts(Rng.fromSeed(2), c.dist, { d: c.d, n: c.n, size: BATCH });
  const work = {
    'evaluate + error': (l: MultiHeadAttention) => () => batchErrors(l, task.target, fixed),
    'sample + evaluate + error': (l: MultiHeadAttention) => {
      let stream = 0;
      return () => sampleErrors(l, task, Rng.fromSeed(3).split(stream++), BATCH);
    },
  };
  for (const [name, make] of Object.entries(work)) {
    const runs = { wasm: make(layers.wasm), ts: make(layers.ts) };
    rate(runs.wasm);
    rate(runs.ts);
    const r = { wasm: [] as number[], ts: [] as number[], ratio: [] as number[] };
    for (let i = 0; i < reps; i++) {
      const order = i % 2 === 0 ? (['ts', 'wasm'] as const) : (['wasm', 'ts'] as const);
      const got = { wasm: 0, ts: 0 };
      for (const k of order) got[k] = rate(runs[k]);
      r.wasm.push(got.wasm);
      r.ts.push(got.ts);
      r.ratio.push(got.wasm / got.ts);
    }
    const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
    console.log(
      `${c.name} | ${name}: TS ${fmt(median(r.ts))}/s, wasm ${fmt(median(r.wasm))}/s, ` +
        `wasm/TS ${median(r.ratio).toFixed(2)} (range ${Math.min(...r.ratio).toFixed(2)}–${Math.max(...r.ratio).toFixed(2)})`,
    );
  }
}
