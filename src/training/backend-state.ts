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

inheritedByWorkers('tfjs-backend', preferredBackend, preferBackend);
