/**
 * The tfjs backend for training: tfjs-node when it loads (it is an optional dependency whose
 * installer downloads a native library, so it is often absent), else the WebAssembly backend
 * (its binaries ship inside the npm package), else the plain-JS CPU backend. An explicit choice,
 * or the thread's preference (preferBackend), overrides the order. tfjs's console banner is kept off stderr.
 */
// The umbrella package registers the gradients (tfjs-core alone has none) and the CPU backend.
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';

import {
  BACKENDS,
  currentBackend,
  preferredBackend,
  preferredWasmThreads,
  recordBackend,
  type BackendName,
} from './backend-state.js';
import { withWasmThreads } from './wasm-threads.js';

export { BACKENDS, currentBackend, type BackendName };

async function tryNode(): Promise<boolean> {
  try {
    // A computed specifier keeps TypeScript from requiring the optional package at build time.
    const name = '@tensorflow/tfjs-node';
    await import(name);
    return tf.findBackend('tensorflow') !== null && (await tf.setBackend('tensorflow'));
  } catch {
    return false;
  }
}

/** Loads the wasm backend, with XNNPACK's thread pool when this thread prefers more than one thread. */
async function tryWasm(): Promise<boolean> {
  const threads = preferredWasmThreads();
  if (threads === 1) return tf.setBackend('wasm');
  return withWasmThreads(threads, () => tf.setBackend('wasm'));
}

/** Threads of the loaded wasm backend's pool (1 without threads), or null when another backend (or none) is in use. */
export function wasmPoolThreads(): number | null {
  return currentBackend() === 'wasm' ? Math.max(1, getThreadsCount()) : null;
}

/** Runs fn with console.warn muted: tfjs warns (a banner about tfjs-node) on the CPU backend's first use. */
function quietly<T>(fn: () => T): T {
  const warn = console.warn;
  console.warn = () => undefined;
  try {
    return fn();
  } finally {
    console.warn = warn;
  }
}

/**
 * Selects and initialises the backend (once per thread); `preferred`, else the thread's preference
 * (preferBackend), picks one explicitly, and an explicit choice that cannot load is an error
 * rather than a fallback.
 */
export async function useBackend(preferred?: BackendName): Promise<BackendName> {
  const wanted = preferred ?? preferredBackend();
  if (wanted !== undefined && !BACKENDS.includes(wanted))
    throw new RangeError(`unknown backend "${wanted}" (expected ${BACKENDS.join(', ')})`);
  const chosen = currentBackend();
  if (chosen !== null && (wanted === undefined || wanted === chosen)) return chosen;
  const order = wanted ? [wanted] : BACKENDS;
  for (const name of order) {
    const ok = name === 'node' ? await tryNode() : name === 'wasm' ? await tryWasm() : await tf.setBackend(name);
    if (ok) {
      await tf.ready();
      quietly(() => tf.tidy(() => tf.add(tf.scalar(0), 1).dataSync()));
      recordBackend(name);
      return name;
    }
  }
  throw new RangeError(`the ${wanted} backend is not available here`);
}
