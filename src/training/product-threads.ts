/**
 * The fused trainer's large products split by rows over helper threads that share its memory
 * (product-worker.ts): the calling thread computes the first share, the helpers the others, and
 * the call returns when all are done. Every output is summed by the same kernel in the same order
 * as without threads, so the results are bit for bit the same (test/training/float-space.test.ts).
 * Synchronous throughout (Atomics.wait), as the training loop is.
 */
import { Worker } from 'node:worker_threads';
import { compiledModule } from '../core/parallel.js';
import type { Memory } from './wasm-module.js';
import {
  ARGS,
  DONE,
  OP,
  PRODUCT,
  QUIT,
  runShare,
  SEQ,
  SLOT_INTS,
  TRANSPOSED_ROWS,
  type ProductKernels,
} from './product-slots.js';

/** Bytes of control slots `helpers` threads need at the start of the memory (16-byte multiple). */
export const controlBytes = (helpers: number) => helpers * SLOT_INTS * 4;

/** Helper threads bound to one shared memory; `close` stops them. */
export class ProductThreads {
  private readonly slots: Int32Array[];
  private seq = 0;

  /** Starts `helpers` ≥ 1 threads on `memory` (shared), whose first controlBytes(helpers) bytes are theirs. */
  constructor(
    memory: Memory,
    private readonly kernels: ProductKernels,
    helpers: number,
  ) {
    const url = compiledModule(import.meta.url, 'product-worker');
    this.slots = Array.from({ length: helpers }, (_, slot) => {
      const s = new Int32Array(memory.buffer, slot * SLOT_INTS * 4, SLOT_INTS);
      Atomics.store(s, DONE, -1);
      return s;
    });
    // Unreferenced: a helper blocked in Atomics.wait must not keep the process alive.
    this.slots.forEach((_, slot) => new Worker(url, { workerData: { memory, control: 0, slot } }).unref());
    for (const s of this.slots) this.waitFor(s, 0);
  }

  /** Blocks until the helper of slot `s` reports job `seq` done. */
  private waitFor(s: Int32Array, seq: number): void {
    for (let d = Atomics.load(s, DONE); d !== seq; d = Atomics.load(s, DONE)) Atomics.wait(s, DONE, d);
  }

  /** Row boundaries of `rows` split into one share per thread, at multiples of 4 (the kernels' tile height). */
  private shares(rows: number): number[] {
    const parts = this.slots.length + 1;
    const step = Math.ceil(rows / parts / 4) * 4;
    return Array.from({ length: parts + 1 }, (_, p) => Math.min(rows, p * step));
  }

  /** Posts op to every helper h with its share's arguments share(h + 1), runs share(0) here, waits. */
  private split(op: number, share: (p: number) => number[]): void {
    const seq = ++this.seq;
    this.slots.forEach((s, h) => {
      s[OP] = op;
      s.set(share(h + 1), ARGS);
      Atomics.store(s, SEQ, seq);
      Atomics.notify(s, SEQ);
    });
    runShare(this.kernels, op, share(0));
    for (const s of this.slots) this.waitFor(s, seq);
  }

  /** out [m, n] (+)= a [m, k]·b [k, n] at byte offsets, the rows of out shared out. */
  product(a: number, b: number, out: number, m: number, k: number, n: number, accumulate: number): void {
    const cut = this.shares(m);
    this.split(PRODUCT, (p) => [a + cut[p] * k * 4, b, out + cut[p] * n * 4, cut[p + 1] - cut[p], k, n, accumulate]);
  }

  /** out [k, n] = x [T, k]ᵀ·dy [T, n] at byte offsets, the rows of out (columns of x) shared out. */
  transposedProduct(x: number, dy: number, out: number, T: number, k: number, n: number): void {
    const cut = this.shares(k);
    this.split(TRANSPOSED_ROWS, (p) => [x, dy, out, T, k, n, cut[p], cut[p + 1]]);
  }

  /** Stops the helpers. */
  close(): void {
    for (const s of this.slots) {
      Atomics.store(s, SEQ, QUIT);
      Atomics.notify(s, SEQ);
    }
  }
}
