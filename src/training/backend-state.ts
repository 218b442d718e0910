/**
 * Which tfjs backend this thread chose, kept apart from the tfjs imports so that reports and the
 * CLI can ask without loading tfjs (about a second of start-up) when nothing trains.
 */
export type BackendName = 'node' | 'wasm' | 'cpu';
export const BACKENDS: readonly BackendName[] = ['node', 'wasm', 'cpu'];

let chosen: BackendName | null = null;

/** The backend in use on this thread, or null before one was chosen. */
export function currentBackend(): BackendName | null {
  return chosen;
}

/** Records the choice (called by backend.ts only). */
export function recordBackend(name: BackendName): void {
  chosen = name;
}
