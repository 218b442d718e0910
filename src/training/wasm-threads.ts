/**
 * Threads for tfjs's WebAssembly backend under Node. The package ships a threaded SIMD binary
 * (XNNPACK with a pthreadpool) but keeps it from Node in four places, each overridden here and
 * only here, before the backend initialises:
 * 1. the WASM_HAS_MULTITHREAD_SUPPORT flag answers false whenever IS_NODE (tfjs issue 3830);
 * 2. the pthread worker script is handed to Emscripten as a `blob:` URL, which Node's Worker
 *    cannot open: a Worker class whose constructor runs the same script text (exported by the
 *    package) with `eval: true` stands in for the global Worker Emscripten constructs;
 * 3. the main script the workers import arrives as a Blob, which the worker's importScripts
 *    (a readFileSync) cannot read: the 'load' message is given the package's own file instead,
 *    which defines the same factory;
 * 4. the C++ side halves the logical core count (for hyper-threads) and caps the pool at that:
 *    os.cpus() is answered with twice the wanted count while the module initialises.
 * XNNPACK splits a product into output tiles, each computed by the same micro-kernel as on one
 * thread, so results are bit for bit those of one thread (test/training/wasm-threads.test.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import os from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Worker as NodeWorker, type TransferListItem, type WorkerOptions } from 'node:worker_threads';

const require = createRequire(import.meta.url);

/** The package folder of @tensorflow/tfjs-backend-wasm (with its wasm-out/ files). */
const packageDir = () => dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));

/** A Worker that opens Emscripten's blob-URL worker script and blob main script from the package instead. */
function blobFreeWorker(): typeof NodeWorker {
  const out = join(packageDir(), 'wasm-out');
  const { wasmWorkerContents } = require(join(out, 'tfjs-backend-wasm-threaded-simd.worker.js')) as {
    wasmWorkerContents: string;
  };
  // tfjs escapes newlines the same way before it makes its Blob: the script has "\n" inside string literals.
  const script = wasmWorkerContents.replace(/\n/g, '\\n');
  const mainScript = join(out, 'tfjs-backend-wasm-threaded-simd.js');
  return class extends NodeWorker {
    constructor(path: string | URL, options?: WorkerOptions) {
      if (typeof path === 'string' && path.startsWith('blob:')) super(script, { eval: true });
      else super(path, options);
      // Pool threads wait for work for ever; Emscripten refs a worker while its pthread runs,
      // which would keep the process alive after the last job. A job blocks the calling thread
      // until it is done, so an unref'd pool never drops work.
      this.unref();
    }
    override ref(): void {}
    override postMessage(message: unknown, transfer?: readonly TransferListItem[]): void {
      const m = message as { cmd?: string; urlOrBlob?: unknown } | null;
      const patched = m?.cmd === 'load' && typeof m.urlOrBlob !== 'string' ? { ...m, urlOrBlob: mainScript } : message;
      super.postMessage(patched, transfer);
    }
  };
}

/** Runs `init` (the wasm backend's initialisation) with XNNPACK's pool at `threads` ≥ 2 threads; returns what `init` returns. */
export async function withWasmThreads<T>(threads: number, init: () => Promise<T>): Promise<T> {
  if (!(Number.isInteger(threads) && threads >= 2))
    throw new RangeError(`wasm threads must be an integer ≥ 2, got ${threads}`);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  setThreadsCount(threads);
  const Worker = blobFreeWorker();
  // Emscripten assigns Node's Worker to the global while it starts: keep ours in place meanwhile.
  Object.defineProperty(globalThis, 'Worker', { configurable: true, get: () => Worker, set: () => {} });
  const cpus = os.cpus;
  const one = cpus()[0];
  os.cpus = () => Array.from({ length: 2 * threads }, () => one);
  try {
    return await init();
  } finally {
    os.cpus = cpus;
    // Emscripten would leave Node's Worker on the global; leave ours, should it start another thread.
    Object.defineProperty(globalThis, 'Worker', { configurable: true, writable: true, value: Worker });
  }
}
