/**
 * Run by wasm-threads.test.ts in a fresh process (the pool is chosen when the backend loads,
 * once per thread): applies RANKCHECK_WASM_THREADS, trains a transformer and a search model for a
 * few steps, and prints one JSON line: the pool's thread count and a digest of each final weight set.
 */
import { createHash } from 'node:crypto';
import { resolveNumerics } from '../../src/cli/numerics.js';
import { trainTransformer } from '../../src/experiments/train.js';
import { trainTfjs } from '../../src/search/train.js';
import { useBackend, wasmPoolThreads } from '../../src/training/backend.js';

/** sha256 of the float arrays of `value`, visited in key order. */
function digest(value: unknown): string {
  const h = createHash('sha256');
  const visit = (x: unknown): void => {
    if (ArrayBuffer.isView(x)) h.update(new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
    else if (typeof x === 'number') h.update(String(x));
    else if (x !== null && typeof x === 'object')
      for (const k of Object.keys(x).sort()) visit((x as Record<string, unknown>)[k]);
  };
  visit(value);
  return h.digest('hex').slice(0, 16);
}

resolveNumerics(process.env);
const backend = await useBackend('wasm');
// Sizes whose products XNNPACK splits between threads (MLP 512 × 1024 tokens), trained a few steps by tfjs.
const transformer = trainTransformer({
  task: { kind: 'farthest', d: 16, n: 8, positional: 'none' },
  arch: { layers: 1, heads: 2, copies: 1, mlpWidth: 512 },
  steps: 4,
  batch: 128,
  learningRate: 0.01,
  seed: 5,
});
const search = trainTfjs({
  shape: { d: 16, r: 2, heads: 8, n: 2, variant: 'plain' },
  dist: 'ortho',
  steps: 4,
  batch: 512,
  learningRate: 0.01,
  initScale: 1,
  seed: 5,
});
console.log(
  JSON.stringify({
    backend,
    threads: wasmPoolThreads(),
    transformer: digest(transformer.weights),
    search: digest(search.weights),
  }),
);
