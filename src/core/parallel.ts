/**
 * Deterministic chunked work on worker threads.
 *
 * Work is cut into chunks numbered 0..count−1; chunk i must depend only on (shared input, i),
 * for example by drawing from rng.split(i). Chunks are handed out dynamically, results are
 * returned in chunk order, so the outcome is the same for any number of workers (including
 * none). On abort, the longest finished prefix 0..k−1 is returned, which is exactly what a
 * run of k chunks would have produced. Workers start with this thread's inherited settings
 * (thread-settings.ts: which float64 kernels, which tfjs backend).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { currentLedger, withLedger } from './draw-ledger.js';
import { packageRoot } from './package-root.js';
import { inheritSettings, settingsForWorkers } from './thread-settings.js';

export interface ChunkRun<R> {
  /** Results of chunks 0..results.length−1, in order. */
  results: R[];
  /** Every finished chunk's result by index (on abort, also those after the first gap). */
  finished: (R | undefined)[];
  /** False when the run was aborted before every chunk finished. */
  complete: boolean;
  /** Worker threads actually used (0: everything ran on this thread). */
  workersUsed: number;
}

export interface ChunkOptions {
  /** Worker threads to use; 0 runs in this thread. Default: the machine's parallelism. */
  workers?: number;
  signal?: AbortSignal;
  /** Called after each finished chunk with the number finished so far, that chunk's index and its result. */
  onProgress?: (finished: number, total: number, index: number, result: unknown) => void;
}

// Set by the CLI when a scheduler says how many cores the task has (Slurm's --cpus-per-task):
// the machine's parallelism counts cores that belong to other tasks on the same node.
let grantedWorkers: number | null = null;

/** Sets the default worker count to the cores a scheduler granted; null restores the machine's parallelism. */
export function setDefaultWorkers(n: number | null): void {
  if (n !== null && !(Number.isInteger(n) && n >= 1))
    throw new RangeError(`worker count must be an integer ≥ 1, got ${n}`);
  grantedWorkers = n;
}

/** Default worker count: the cores granted by setDefaultWorkers, else the cores this process may use. */
export function defaultWorkers(): number {
  return grantedWorkers ?? Math.max(1, availableParallelism());
}

/**
 * Resolves the compiled JavaScript of a module next to `callerUrl`. Under the TypeScript sources
 * (tests) this maps ROOT/…/x.ts to ROOT/dist/…/x.js (src/ and properties/ alike), since worker
 * threads run compiled code.
 */
export function compiledModule(callerUrl: string, name: string): URL {
  const callerPath = fileURLToPath(callerUrl);
  let dir = dirname(callerPath);
  if (callerPath.endsWith('.ts')) {
    const root = packageRoot();
    const rel = relative(root, dir);
    if (rel.startsWith('..') || rel.startsWith('dist'))
      throw new Error(`cannot locate the compiled form of ${callerPath}`);
    dir = join(root, 'dist', rel);
  }
  const file = join(dir, `${name}.js`);
  if (!existsSync(file)) throw new Error(`worker module ${file} is missing; run "npm run build" first`);
  return pathToFileURL(file);
}

/** What a worker of runChunks receives as workerData. */
interface WorkerStart<S> {
  shared: S;
  settings: Record<string, unknown>;
}

interface WorkerReply<R> {
  index: number;
  result?: R;
  /** The chunk's draw digest (its own ledger's words). */
  draws?: [number, number];
  error?: string;
}

/**
 * Folds the chunks' draw digests into the caller's ledger in chunk order, so that the caller's
 * digest is the same for any number of workers, none included.
 */
function foldDraws(draws: readonly ([number, number] | undefined)[]): void {
  const parent = currentLedger();
  if (parent === null) return;
  draws.forEach((w, index) => {
    if (w !== undefined) parent.addWords([index, w[0], w[1]]);
  });
}

/**
 * Runs chunks 0..count−1 with `compute` in this thread, or in workers loading `workerUrl`
 * (a module that calls serveChunks with the same compute function) when workers > 0.
 */
export async function runChunks<S, R>(
  count: number,
  shared: S,
  compute: (shared: S, index: number) => R | Promise<R>,
  workerUrl: URL | null,
  options: ChunkOptions = {},
): Promise<ChunkRun<R>> {
  const wanted = Math.min(options.workers ?? defaultWorkers(), count);
  const results: (R | undefined)[] = new Array(count);
  const draws: ([number, number] | undefined)[] = new Array(count);
  let finished = 0;
  const prefix = () => {
    let k = 0;
    while (k < count && results[k] !== undefined) k++;
    return results.slice(0, k) as R[];
  };
  if (wanted <= 0 || workerUrl === null) {
    for (let i = 0; i < count; i++) {
      if (options.signal?.aborted) {
        foldDraws(draws);
        return { results: prefix(), finished: results, complete: false, workersUsed: 0 };
      }
      // Each chunk draws into a ledger of its own, as it would in a worker.
      const { value, ledger } = await withLedger(() => compute(shared, i));
      results[i] = value;
      draws[i] = ledger.words();
      options.onProgress?.(++finished, count, i, results[i]);
      // Yield so that a signal handler (Ctrl-C) can run between chunks.
      if (options.signal) await new Promise((r) => setImmediate(r));
    }
    foldDraws(draws);
    return { results: results as R[], finished: results, complete: true, workersUsed: 0 };
  }
  let next = 0;
  const workers: Worker[] = [];
  const done = new Promise<boolean>((resolve, reject) => {
    let active = 0;
    const stop = (ok: boolean) => {
      for (const w of workers) void w.terminate();
      resolve(ok);
    };
    options.signal?.addEventListener('abort', () => stop(false), { once: true });
    const feed = (w: Worker) => {
      if (options.signal?.aborted) return;
      if (next < count) {
        w.postMessage(next++);
        return;
      }
      active--;
      if (active === 0) stop(true);
    };
    const start: WorkerStart<S> = { shared, settings: settingsForWorkers() };
    for (let k = 0; k < wanted; k++) {
      const w = new Worker(workerUrl, { workerData: start });
      workers.push(w);
      active++;
      w.on('message', (reply: WorkerReply<R>) => {
        if (reply.error !== undefined) {
          for (const x of workers) void x.terminate();
          reject(new Error(reply.error));
          return;
        }
        results[reply.index] = reply.result as R;
        draws[reply.index] = reply.draws;
        options.onProgress?.(++finished, count, reply.index, reply.result);
        feed(w);
      });
      w.on('error', (e) => {
        for (const x of workers) void x.terminate();
        reject(e);
      });
      feed(w);
    }
  });
  const complete = await done;
  foldDraws(draws);
  return { results: complete ? (results as R[]) : prefix(), finished: results, complete, workersUsed: wanted };
}

/**
 * runChunks on one worker per core, at most one per chunk, loading the worker entry `workerName`
 * next to `callerUrl`; in this thread when that would be a single worker. Returns the results in
 * chunk order.
 */
export async function runChunksOnCores<S, R>(
  count: number,
  shared: S,
  compute: (shared: S, index: number) => R | Promise<R>,
  callerUrl: string,
  workerName: string,
): Promise<R[]> {
  const workers = Math.min(defaultWorkers(), count);
  const url = workers > 1 ? compiledModule(callerUrl, workerName) : null;
  return (await runChunks(count, shared, compute, url, { workers: workers > 1 ? workers : 0 })).results;
}

/** Worker side: answers chunk indices with compute(workerData, index), which may be async. */
export async function serveChunks<S, R>(compute: (shared: S, index: number) => R | Promise<R>): Promise<void> {
  const { parentPort, workerData } = await import('node:worker_threads');
  if (!parentPort) throw new Error('serveChunks must run inside a worker thread');
  const port = parentPort;
  const { shared, settings } = workerData as WorkerStart<S>;
  inheritSettings(settings);
  port.on('message', async (index: number) => {
    try {
      const { value, ledger } = await withLedger(() => compute(shared, index));
      port.postMessage({ index, result: value, draws: ledger.words() } satisfies WorkerReply<R>);
    } catch (e) {
      port.postMessage({ index, error: e instanceof Error ? e.message : String(e) });
    }
  });
}
