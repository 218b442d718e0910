/**
 * Monte Carlo estimation of an attention layer's mean squared error against a target, with a
 * confidence interval. Samples are drawn in fixed-size chunks, chunk j from rng.split(j) of the
 * root seed, and merged in chunk order: the estimate depends on (seed, samples, chunk size)
 * only, never on the number of worker threads. The loss is the squared distance of the layer's
 * output to the target point (squaredErrors).
 */
import { compiledModule, defaultWorkers, runChunks, type ChunkOptions } from '../core/parallel.js';
import { Rng } from '../core/rng.js';
import { sampleContexts, type ContextBatch, type ContextDistribution, type FrameSampler } from '../core/sphere.js';
import {
  EMPTY_MOMENTS,
  meanInterval,
  mergeMoments,
  momentsOf,
  type Interval,
  type IntervalMethod,
  type Moments,
} from '../core/stats.js';
import { MultiHeadAttention, type AttentionShape, type AttentionSpec } from './attention.js';
import { biasedNearestNeighbourIndex, farthestNeighbourSelfIndex } from './targets.js';

export type TargetSpec = { kind: 'nearest' } | { kind: 'farthest-self' } | { kind: 'biased-nearest'; bias: number[] };

/** What is estimated: a layer, a target, and the data distribution. Structured-cloneable. */
export interface ErrorTask {
  layer: AttentionSpec;
  target: TargetSpec;
  dist: ContextDistribution;
  /** Context length N. */
  n: number;
}

/** Samples per chunk unless the caller says otherwise (the estimate depends on it, see above). */
const DEFAULT_CHUNK = 4096;

/** Samples per piece of sampleErrors: keeps the working set in cache whatever the chunk size. */
const PIECE = 256;

/** Per-sample errors of `layer` on `size` fresh samples drawn from `rng` (y, then X, per sample). */
export function sampleErrors(
  layer: MultiHeadAttention,
  task: Omit<ErrorTask, 'layer'>,
  rng: Rng,
  size: number,
  frameSampler?: FrameSampler,
): Float64Array {
  const { d } = layer;
  const { n } = task;
  const errors = new Float64Array(size);
  const piece = Math.min(PIECE, size);
  const buffers = { X: new Float64Array(piece * n * d), Y: new Float64Array(piece * d) };
  // Drawing in pieces consumes the stream exactly as one batch would (sampleContexts' contract).
  for (let done = 0; done < size; done += piece) {
    const count = Math.min(piece, size - done);
    sampleContexts(rng, task.dist, { d, n, size: count }, frameSampler, buffers);
    errors.set(batchErrors(layer, task.target, { ...buffers, size: count, n }), done);
  }
  return errors;
}

/** Per-sample squared error ‖f − x_target‖² (outputs size×m×d, targets size×m indices into X), averaged over each sample's m queries. */
export function squaredErrors(
  outputs: Float64Array,
  X: Float64Array,
  target: Int32Array,
  shape: AttentionShape & { d: number },
): Float64Array {
  const { size, n, m, d } = shape;
  const errors = new Float64Array(size);
  for (let b = 0; b < size; b++) {
    let e = 0;
    for (let q = 0; q < m; q++) {
      const o = (b * m + q) * d;
      const x = (b * n + target[b * m + q]) * d;
      for (let k = 0; k < d; k++) {
        const diff = outputs[o + k] - X[x + k];
        e += diff * diff;
      }
    }
    errors[b] = e / m;
  }
  return errors;
}

/** Per-sample errors on a given batch (X: size×n×d, Y: size×d). */
export function batchErrors(
  layer: MultiHeadAttention,
  target: TargetSpec,
  batch: Pick<ContextBatch, 'X' | 'Y' | 'size' | 'n'>,
): Float64Array {
  const { X, Y, size, n } = batch;
  const { d } = layer;
  if (target.kind === 'farthest-self') {
    const out = layer.evaluate(X, X, { size, n, m: n });
    return squaredErrors(out, X, farthestNeighbourSelfIndex(X, { size, n, d }), { size, n, m: n, d });
  }
  const bias = target.kind === 'biased-nearest' ? target.bias : null;
  const out = layer.evaluate(X, Y, { size, n, m: 1 });
  return squaredErrors(out, X, biasedNearestNeighbourIndex(X, Y, { size, n, d }, bias), { size, n, m: 1, d });
}

interface ChunkInput {
  task: ErrorTask;
  seed: number;
  samples: number;
  chunkSize: number;
}

const layerCache = new WeakMap<AttentionSpec, MultiHeadAttention>();

/** Moments of chunk `index`: its own stream, its own share of the samples. */
export function errorChunk(input: ChunkInput, index: number): Moments {
  let layer = layerCache.get(input.task.layer);
  if (!layer) {
    layer = new MultiHeadAttention(input.task.layer);
    layerCache.set(input.task.layer, layer);
  }
  const size = Math.min(input.chunkSize, input.samples - index * input.chunkSize);
  const rng = Rng.fromSeed(input.seed).split(index);
  return momentsOf(sampleErrors(layer, input.task, rng, size));
}

export interface ErrorEstimate {
  mean: number;
  /** Samples actually used (fewer than requested when interrupted). */
  samples: number;
  moments: Moments;
  interval: Interval;
  complete: boolean;
  workersUsed: number;
}

export interface EstimateOptions extends ChunkOptions {
  samples: number;
  seed: number;
  level?: number;
  method?: IntervalMethod;
  /** Range of a single error, required by the 'bernstein' interval. */
  range?: number;
  chunkSize?: number;
}

/** Estimates the task's mean squared error; see the module comment for what determines the result. */
export async function estimateError(task: ErrorTask, options: EstimateOptions): Promise<ErrorEstimate> {
  const { samples, seed } = options;
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK;
  if (!(Number.isInteger(samples) && samples >= 2))
    throw new RangeError(`samples must be an integer ≥ 2 (got ${samples})`);
  const count = Math.ceil(samples / chunkSize);
  const generalized = task.layer.heads.some((h) => h.score !== undefined);
  // Score functions cannot cross a thread boundary, and one chunk is not worth a thread.
  const workers = generalized || count < 2 ? 0 : (options.workers ?? defaultWorkers());
  const workerUrl = workers > 0 ? compiledModule(import.meta.url, 'error-worker') : null;
  const run = await runChunks(count, { task, seed, samples, chunkSize }, errorChunk, workerUrl, {
    ...options,
    workers,
  });
  const moments = run.results.reduce(mergeMoments, EMPTY_MOMENTS);
  if (moments.count < 2) throw new RangeError('interrupted before two samples were finished');
  const interval = meanInterval(moments, options.level ?? 0.95, options.method ?? 'normal', {
    range: options.range,
    lowerLimit: 0,
  });
  return {
    mean: moments.mean,
    samples: moments.count,
    moments,
    interval,
    complete: run.complete,
    workersUsed: run.workersUsed,
  };
}
