/**
 * Which tfjs backend this thread prefers and which it chose, kept apart from the tfjs imports so
 * that reports and the CLI can set and ask without loading tfjs (about a second of start-up) when
 * nothing trains. Worker threads inherit the preference from the thread that starts them.
 */
import { inheritedByWorkers } from '../core/thread-settings.js';

export type BackendName = 'node' | 'wasm' | 'cpu';
export const BACKENDS: readonly BackendName[] = ['node', 'wasm', 'cpu'];

let preferred: BackendName | undefined;
let chosen: BackendName | null = null;
let wasmThreads = 1;

/**
 * The backend useBackend() loads when called without an explicit one, on this thread and the
 * workers it starts; undefined (the default): tfjs-node, else wasm, else cpu, whichever loads first.
 */
export function preferBackend(name: BackendName | undefined): void {
  if (name !== undefined && !BACKENDS.includes(name))
    throw new RangeError(`unknown backend "${name}" (expected ${BACKENDS.join(', ')})`);
  preferred = name;
}

/** The preference set by preferBackend, or undefined for the default order. */
export function preferredBackend(): BackendName | undefined {
  return preferred;
}

/** The backend in use on this thread, or null before one was chosen. */
export function currentBackend(): BackendName | null {
  return chosen;
}

/** Records the choice (called by backend.ts only). */
export function recordBackend(name: BackendName): void {
  chosen = name;
}

/** The most threads the wasm backend's pool may have (XNNPACK's pool of 8 pre-started workers). */
export const MAX_WASM_THREADS = 8;

/**
 * Threads of the wasm backend's XNNPACK pool when useBackend() loads it on this thread or its
 * workers: 1 (the default) runs the single-threaded binary; 2…MAX_WASM_THREADS the threaded one,
 * whose results are bit for bit the same (wasm-threads.ts). Each worker that trains gets its own pool.
 */
export function preferWasmThreads(n: number): void {
  if (!(Number.isInteger(n) && n >= 1 && n <= MAX_WASM_THREADS))
    throw new RangeError(`wasm threads must be an integer from 1 to ${MAX_WASM_THREADS}, got ${n}`);
  wasmThreads = n;
}

/** The pool size preferWasmThreads set (1: no threads). */
export function preferredWasmThreads(): number {
  return wasmThreads;
}

inheritedByWorkers('tfjs-backend', preferredBackend, preferBackend);
inheritedByWorkers('tfjs-wasm-threads', preferredWasmThreads, preferWasmThreads);
