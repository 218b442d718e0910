/**
 * The dense arcsin kernel built by worker threads into shared memory: bit-identical to
 * kernelMatrix, since every tile is computed by the same code whichever thread takes it.
 */
import { Worker } from 'node:worker_threads';
import { compiledModule } from '../core/parallel.js';
import { checkHeads, type Rank1Heads } from './rank1-heads.js';
import { newScratch, shiftedTile, TILE, writeTile } from './kernel-tiles.js';

/**
 * kernelMatrix(heads) computed by `workers` worker threads (default 2; 0 computes in this
 * thread), into a SharedArrayBuffer-backed array. Workers take whole rows of tiles, the longest
 * first, from a shared counter. Starting a worker costs ≈ 0.1 s, so this pays from H ≈ 2000 on
 * (d = 64), on idle cores. Needs the compiled module (npm run build).
 */
export async function kernelMatrixParallel(
  heads: Rank1Heads,
  options: { workers?: number } = {},
): Promise<Float64Array> {
  checkHeads(heads);
  const workers = options.workers ?? 2;
  if (!(Number.isInteger(workers) && workers >= 0))
    throw new RangeError(`workers must be a non-negative integer (got ${workers})`);
  const { d, count: H } = heads;
  const share = (x: Float64Array) => {
    const buffer = new SharedArrayBuffer(H * d * 8);
    new Float64Array(buffer).set(x.subarray(0, H * d));
    return buffer;
  };
  const task: KernelBuildTask = {
    d,
    count: H,
    q: share(heads.q),
    k: share(heads.k),
    out: new SharedArrayBuffer(H * H * 8),
    next: new SharedArrayBuffer(4),
  };
  if (workers === 0) {
    buildKernelRows(task);
    return new Float64Array(task.out);
  }
  const entry = compiledModule(import.meta.url, 'kernel-build-worker');
  const finished: Promise<void>[] = [];
  for (let w = 0; w < workers; w++) {
    // The worker runs the compiled JavaScript even when this thread runs the TypeScript (tests).
    const worker = new Worker(entry, { workerData: task });
    finished.push(
      new Promise<void>((resolve, reject) => {
        worker.once('message', () => resolve());
        worker.once('error', reject);
        worker.once('exit', (code) =>
          code === 0 ? resolve() : reject(new Error(`kernel build worker exited with code ${code}`)),
        );
      }),
    );
  }
  await Promise.all(finished);
  return new Float64Array(task.out);
}

/** What the threads of kernelMatrixParallel share. */
export interface KernelBuildTask {
  d: number;
  count: number;
  q: SharedArrayBuffer;
  k: SharedArrayBuffer;
  /** The H×H output. */
  out: SharedArrayBuffer;
  /** One Int32: how many rows of tiles have been taken. */
  next: SharedArrayBuffer;
}

/** One thread's part of kernelMatrixParallel (exported for its worker threads only). */
export function buildKernelRows(task: KernelBuildTask): void {
  const heads: Rank1Heads = { d: task.d, count: task.count, q: new Float64Array(task.q), k: new Float64Array(task.k) };
  const H = task.count;
  const C = new Float64Array(task.out);
  const next = new Int32Array(task.next);
  const tileRows = Math.ceil(H / TILE);
  const scratch = newScratch();
  for (;;) {
    const taken = Atomics.add(next, 0, 1);
    if (taken >= tileRows) return;
    const i0 = (tileRows - 1 - taken) * TILE;
    const ni = Math.min(TILE, H - i0);
    for (let j0 = 0; j0 <= i0; j0 += TILE) {
      const nj = Math.min(TILE, H - j0);
      writeTile(C, H, shiftedTile(heads, i0, ni, j0, nj, scratch), i0, ni, j0, nj);
    }
  }
}
