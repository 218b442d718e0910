/**
 * Per-thread settings that worker threads inherit from the thread that starts them (the float64
 * evaluator, the preferred tfjs backend): each owning module registers its getter and setter,
 * runChunks sends the current values with the workers' data, and serveChunks applies them before
 * the first chunk. Keyed by name, so that core needs to know none of the layers above it.
 */
interface Setting {
  get(): unknown;
  set(value: unknown): void;
}

const registered = new Map<string, Setting>();
/** Values received from the parent thread, applied to settings registered later too. */
let received: Record<string, unknown> = {};

/** Registers a setting that workers inherit; its setter validates what it receives. */
export function inheritedByWorkers<T>(name: string, get: () => T, set: (value: T) => void): void {
  if (registered.has(name)) throw new Error(`thread setting "${name}" is registered twice`);
  const setting: Setting = { get, set: (value) => set(value as T) };
  registered.set(name, setting);
  if (name in received) setting.set(received[name]);
}

/** This thread's values of every registered setting (structured-cloneable), for its workers. */
export function settingsForWorkers(): Record<string, unknown> {
  return Object.fromEntries([...registered].map(([name, s]) => [name, s.get()]));
}

/** In a worker: adopts the parent's values, now for the settings registered and later for the rest. */
export function inheritSettings(values: Record<string, unknown>): void {
  received = values;
  for (const [name, s] of registered) if (name in values) s.set(values[name]);
}
