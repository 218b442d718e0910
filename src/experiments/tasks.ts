/**
 * The experiments' tasks as batches of float64 token sequences with their targets (no tfjs):
 * farthest neighbour in self-attention form on i.i.d. uniform points of the sphere (Section 7),
 * and in-context linear regression (Garg et al. 2022, small). Also the shape a task gives an
 * architecture.
 */
import type { Rng } from '../core/rng.js';
import { sampleContexts } from '../core/sphere.js';
import { farthestNeighbourSelfIndex } from '../model/targets.js';
import { RELEASED_POSITION_DIM, type PositionDesign, type Positional, type TransformerShape } from './shape.js';

/**
 * farthest: the tokens are N uniform points of S^{d−1}; token j must output x_{argmin_i ⟨x_i, x_j⟩}.
 * icl: N − 1 context tokens (x_i, y_i, 0) and a query token (x_q, 0, 1), x ~ N(0, I_p),
 * y = ⟨w, x⟩ with w ~ N(0, I_p/p) fresh per sequence; the query token must output y_q.
 */
export type TaskSpec =
  | { kind: 'farthest'; d: number; n: number; positional: Positional; positionDesign?: PositionDesign }
  | { kind: 'icl'; p: number; n: number };

/** The position design of a task ('one-hot' unless it says 'released'; see PositionDesign). */
export function positionDesign(task: TaskSpec): PositionDesign {
  return task.kind === 'farthest' ? (task.positionDesign ?? 'one-hot') : 'one-hot';
}

/** True when the task's concatenated positions are the released code's learned appended vectors. */
function appendsLearnedPositions(task: TaskSpec): boolean {
  return task.kind === 'farthest' && task.positional === 'concat' && positionDesign(task) === 'released';
}

/** The architecture a run chooses; the task fixes the rest of the shape. */
export interface ArchSpec {
  layers: number;
  heads: number;
  copies: number;
  mlpWidth: number;
  /** Residual width of an in-context-regression model (the farthest task uses d, or d + N). */
  width?: number;
}

export interface TaskBatch {
  size: number;
  /** [size·N·inputDim]. */
  tokens: Float64Array;
  /** [size·T·outDim]: the targets of the scored tokens (T = N, or 1 for icl's query). */
  targets: Float64Array;
}

/** Which tokens are scored: every token, or only the last (the query). */
export function scoredTokens(task: TaskSpec): 'all' | 'last' {
  return task.kind === 'farthest' ? 'all' : 'last';
}

/** The model dimension of a task, the rank being it over H: d, or d + 64 with the released appended positions. */
export function modelDim(task: TaskSpec, arch: ArchSpec): number {
  if (task.kind === 'farthest') return task.d + (appendsLearnedPositions(task) ? RELEASED_POSITION_DIM : 0);
  if (arch.width === undefined) throw new RangeError('an in-context-regression architecture needs its width');
  return arch.width;
}

/** The transformer shape of `arch` on `task`; heads must divide d (rank d/H, as in nn.MultiheadAttention). */
export function shapeFor(task: TaskSpec, arch: ArchSpec): TransformerShape {
  const d = modelDim(task, arch);
  if (!Number.isInteger(d / arch.heads)) throw new RangeError(`heads (${arch.heads}) must divide d (${d})`);
  const common = {
    n: task.n,
    layers: arch.layers,
    heads: arch.heads,
    rank: d / arch.heads,
    copies: arch.copies,
    mlpWidth: arch.mlpWidth,
  };
  const none = { appendedPositions: 0, positionInit: 'small' as const, sliceOutput: false };
  if (task.kind === 'icl')
    return { ...common, ...none, width: d, inputDim: task.p + 2, embed: true, additivePositions: false, outputDim: 1 };
  const released = positionDesign(task) === 'released';
  if (appendsLearnedPositions(task))
    return {
      ...common,
      width: d,
      inputDim: task.d,
      embed: false,
      additivePositions: false,
      appendedPositions: RELEASED_POSITION_DIM,
      positionInit: 'released',
      outputDim: task.d,
      sliceOutput: true,
    };
  // One-hot concatenated positions: coordinates appended, so the stream is d + N wide and a learned readout maps it back to d.
  const width = task.positional === 'concat' ? task.d + task.n : task.d;
  return {
    ...common,
    ...none,
    positionInit: released ? 'released' : 'small',
    width,
    inputDim: width,
    embed: false,
    additivePositions: task.positional === 'additive',
    outputDim: task.positional === 'concat' ? task.d : null,
  };
}

/** Output size per scored token. */
export function outputDim(task: TaskSpec): number {
  return task.kind === 'farthest' ? task.d : 1;
}

/**
 * A batch of `size` sequences drawn from `rng`. `target` 'nearest' (a sentinel) asks for
 * x_{argmax_i ⟨x_i, x_j⟩} instead, which is token j itself: the identity.
 */
export function sampleTask(
  task: TaskSpec,
  rng: Rng,
  size: number,
  target: 'farthest' | 'nearest' = 'farthest',
): TaskBatch {
  if (task.kind === 'icl') return sampleRegression(task.p, task.n, rng, size);
  const { d, n } = task;
  const X = sampleContexts(rng, 'unif', { d, n, size }).X;
  // Token j is its own nearest neighbour (⟨x_j, x_j⟩ = 1 > ⟨x_i, x_j⟩ almost surely).
  const idx =
    target === 'farthest'
      ? farthestNeighbourSelfIndex(X, { size, n, d })
      : Int32Array.from({ length: size * n }, (_, t) => t % n);
  // Plain copies, not set(subarray(…)), which made a view per token: about 6% of a quick-sized training step.
  const targets = new Float64Array(size * n * d);
  for (let s = 0; s < size; s++)
    for (let j = 0; j < n; j++) {
      const from = (s * n + idx[s * n + j]) * d;
      const to = (s * n + j) * d;
      for (let c = 0; c < d; c++) targets[to + c] = X[from + c];
    }
  if (task.positional !== 'concat' || positionDesign(task) === 'released') return { size, tokens: X, targets };
  const w = d + n;
  const tokens = new Float64Array(size * n * w);
  for (let t = 0; t < size * n; t++) {
    for (let c = 0; c < d; c++) tokens[t * w + c] = X[t * d + c];
    tokens[t * w + d + (t % n)] = 1;
  }
  return { size, tokens, targets };
}

function sampleRegression(p: number, n: number, rng: Rng, size: number): TaskBatch {
  const dim = p + 2;
  const tokens = new Float64Array(size * n * dim);
  const targets = new Float64Array(size);
  const w = new Float64Array(p);
  for (let s = 0; s < size; s++) {
    for (let k = 0; k < p; k++) w[k] = rng.normal() / Math.sqrt(p);
    for (let i = 0; i < n; i++) {
      const o = (s * n + i) * dim;
      let y = 0;
      for (let k = 0; k < p; k++) {
        const x = rng.normal();
        tokens[o + k] = x;
        y += w[k] * x;
      }
      if (i < n - 1) tokens[o + p] = y;
      else {
        tokens[o + p + 1] = 1;
        targets[s] = y;
      }
    }
  }
  return { size, tokens, targets };
}
