/**
 * The arcsin kernel of rank-1 hardmax heads on D_2, and the linear solves for optimal output
 * weights.
 *
 * Head h (unit q_h, k_h ∈ R^d) picks x_1 iff ⟨q_h, y⟩⟨k_h, w⟩ > 0 with w = (x_1 − x_2)/√2, and y,
 * w are independent and uniform on the sphere. Two heads' signs on y differ with probability
 * θ_q/π (θ_q the angle between q_h and q_h'), likewise on w, so they choose alike with probability
 *
 *   C_hh' = (1 − θ_q/π)(1 − θ_k/π) + (θ_q/π)(θ_k/π) = ½ + ½·u_q·u_k,   u = 1 − 2θ/π = (2/π)·arcsin⟨·,·⟩,
 *
 * i.e. C = ½·11ᵀ + C' with C' = (2/π²)·arcsin(QQᵀ)∘arcsin(KKᵀ), C' PSD with constant diagonal ½.
 * For an agreement vector b the optimal output weights are a = C⁻¹b and the error is 1 − bᵀC⁻¹b.
 *
 * Everything works on tiles of TILE×TILE entries of C': the two Gram tiles are computed with a
 * register-blocked product, turned into C' entries, and then written (kernelMatrix), stored
 * (the packed operator) or applied to vectors at once (the matrix-free product), using symmetry
 * so that each tile is computed once. Solves: a blocked dense Cholesky, or conjugate gradients on
 * C' with the rank-one part handled exactly (Sherman–Morrison).
 */
import { Worker } from 'node:worker_threads';
import { compiledModule } from '../core/parallel.js';
import { dot } from '../core/vector.js';

export interface Rank1Heads {
  d: number;
  count: number;
  /** count×d, row-major; rows are unit vectors. */
  q: Float64Array;
  /** count×d, row-major; rows are unit vectors. */
  k: Float64Array;
}

export type SolveMethod = 'cholesky' | 'cg';
/**
 * How C is applied: 'dense' stores it (8H² bytes), 'packed' stores the lower tiles of C'
 * (≈ 4H² bytes), 'matrix-free' recomputes the tiles on every product (O(H) memory, ≈ 60 ns per
 * pair of heads at d = 64 per product).
 */
export type KernelOperator = 'dense' | 'packed' | 'matrix-free';

export interface SolveOptions {
  /** 'auto' (default): Cholesky for H ≤ 2048, conjugate gradients above. */
  method?: 'auto' | SolveMethod;
  /** Target relative residual ‖b − Ca‖₂/‖b‖₂ (default 1e-12). */
  tolerance?: number;
  /** CG iterations at most (default max(100, min(2H, 1000))); Cholesky refinement steps at most 3. */
  maxIterations?: number;
  /** A precomputed kernelMatrix(heads) to reuse (it is not modified). */
  dense?: Float64Array;
  /** How CG applies C': 'auto' (default) is 'dense' if `dense` is given, 'packed' if H ≤ 8192, else 'matrix-free'. */
  operator?: 'auto' | KernelOperator;
  /** CG warm start for C'x = b, e.g. the shiftedSolution of a solve with a nearby b. */
  initial?: ArrayLike<number>;
  /** CG warm start for C'z = 1, e.g. the shiftedOnes of any earlier solve with these heads. */
  initialOnes?: ArrayLike<number>;
}

export interface KernelSolution {
  weights: Float64Array;
  /** CG iterations, or Cholesky iterative-refinement steps. */
  iterations: number;
  /** ‖b − C·weights‖₂/‖b‖₂ against the exact (unridged) C; 0 when b = 0. */
  relativeResidual: number;
  /** Whether relativeResidual ≤ tolerance. */
  converged: boolean;
  method: SolveMethod;
  /** How C was applied: a stored matrix, or tiles recomputed on every product. */
  operator: KernelOperator;
  /** Multiple of the identity added to C for the Cholesky factor (0 when none was needed). */
  ridge: number;
  /** CG only: C'⁻¹b, to pass back as `initial`. */
  shiftedSolution?: Float64Array;
  /** CG only: C'⁻¹1, to pass back as `initialOnes`. */
  shiftedOnes?: Float64Array;
}

export interface OptimalError extends KernelSolution {
  /**
   * 1 − 2aᵀb + aᵀCa for the returned weights a: the error they achieve, which exceeds the optimum
   * 1 − bᵀC⁻¹b by rᵀC⁻¹r (r the residual), second order in the residual where 1 − bᵀa is first.
   */
  error: number;
}

/** Tile side: a multiple of both register-tile sides (3 rows × 2 columns) below. */
const TILE = 48;
/** Above this H, 'auto' switches from Cholesky (≈ H³/6 multiply–adds) to CG. */
const CHOLESKY_LIMIT = 2048;
/** Largest H for which 'auto' CG stores C' (≈ 4H² bytes: 256 MiB at 8192) instead of recomputing it. */
const PACKED_LIMIT = 8192;
const TWO_OVER_PI = 2 / Math.PI;
const FOUR_OVER_PI = 4 / Math.PI;
const EPS = Number.EPSILON;

/**
 * d ≥ 1; qs[h], ks[h] ∈ R^d for each head (any nonzero length); returns the heads with every
 * vector scaled to unit length.
 */
export function normaliseHeads(d: number, qs: ArrayLike<number>[], ks: ArrayLike<number>[]): Rank1Heads {
  if (!(Number.isInteger(d) && d >= 1)) throw new RangeError(`d must be a positive integer (got ${d})`);
  if (qs.length !== ks.length) throw new RangeError(`got ${qs.length} query vectors but ${ks.length} key vectors`);
  if (qs.length === 0) throw new RangeError('at least one head is needed');
  const count = qs.length;
  const q = new Float64Array(count * d);
  const k = new Float64Array(count * d);
  for (let h = 0; h < count; h++) {
    normaliseInto(qs[h], d, q, h * d, `head ${h}: q`);
    normaliseInto(ks[h], d, k, h * d, `head ${h}: k`);
  }
  return { d, count, q, k };
}

/** Writes x/‖x‖ into out[offset .. offset+d); `what` names the vector in error messages. */
function normaliseInto(x: ArrayLike<number>, d: number, out: Float64Array, offset: number, what: string): void {
  if (x.length !== d) throw new RangeError(`${what} has length ${x.length}, expected d = ${d}`);
  let max = 0;
  for (let i = 0; i < d; i++) {
    const v = x[i];
    if (!Number.isFinite(v)) throw new RangeError(`${what}[${i}] is not finite (${v})`);
    max = Math.max(max, Math.abs(v));
  }
  if (max === 0) throw new RangeError(`${what} is the zero vector`);
  // Dividing by the largest entry first keeps Σx² from overflowing (1e200) or underflowing (1e-200).
  let s = 0;
  for (let i = 0; i < d; i++) {
    const v = x[i] / max;
    s += v * v;
  }
  const root = Math.sqrt(s);
  for (let i = 0; i < d; i++) out[offset + i] = x[i] / max / root;
}

/** 1 ≤ count ≤ heads.count; the first `count` heads, sharing the caller's storage. */
export function prefixHeads(heads: Rank1Heads, count: number): Rank1Heads {
  checkHeads(heads);
  if (!(Number.isInteger(count) && count >= 1 && count <= heads.count)) {
    throw new RangeError(`prefix length must be an integer in [1, ${heads.count}] (got ${count})`);
  }
  const n = count * heads.d;
  return { d: heads.d, count, q: heads.q.subarray(0, n), k: heads.k.subarray(0, n) };
}

function checkHeads(heads: Rank1Heads): void {
  const { d, count, q, k } = heads;
  if (!(Number.isInteger(d) && d >= 1)) throw new RangeError(`heads.d must be a positive integer (got ${d})`);
  if (!(Number.isInteger(count) && count >= 1)) throw new RangeError(`heads.count must be a positive integer (got ${count})`);
  if (q.length < count * d || k.length < count * d) throw new RangeError(`heads.q and heads.k need count·d = ${count * d} entries`);
}

function checkVector(v: ArrayLike<number>, n: number, what: string): void {
  if (v.length !== n) throw new RangeError(`${what} has length ${v.length}, expected H = ${n}`);
  for (let i = 0; i < n; i++) if (!Number.isFinite(v[i])) throw new RangeError(`${what}[${i}] is not finite (${v[i]})`);
}

// ---------------------------------------------------------------------------------------------
// Tiles of C'

/** Work buffers of one tile: the two Gram tiles; the C' tile overwrites the first. */
interface TileScratch {
  gq: Float64Array;
  gk: Float64Array;
}

function newScratch(): TileScratch {
  return { gq: new Float64Array(TILE * TILE), gk: new Float64Array(TILE * TILE) };
}

/**
 * G[a·TILE + b] = ⟨X row i0+a, X row j0+b⟩ for a < ni, b < nj. The 3×2 register tile (5 loads per
 * 6 multiply–adds, 11 live doubles) measured fastest in V8 on x86-64: ≈ 3 G multiply–adds/s
 * where 2×2, 4×2 and 3×3 reach ≈ 2.5 (the larger ones spill registers). Every entry, in the register tile or at the
 * edges, is the plain left-to-right sum, so C_hh' does not depend on where the pair falls in the
 * tiling: the kernel of a prefix of the heads is exactly the top-left block of the full kernel.
 */
function gramTile(X: Float64Array, d: number, i0: number, ni: number, j0: number, nj: number, G: Float64Array): void {
  const rows3 = ni - (ni % 3);
  const cols2 = nj - (nj % 2);
  for (let a = 0; a < rows3; a += 3) {
    const r0 = (i0 + a) * d;
    const r1 = r0 + d;
    const r2 = r1 + d;
    const o = a * TILE;
    for (let b = 0; b < cols2; b += 2) {
      const c0 = (j0 + b) * d;
      const c1 = c0 + d;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0;
      for (let t = 0; t < d; t++) {
        const x0 = X[r0 + t], x1 = X[r1 + t], x2 = X[r2 + t];
        const y0 = X[c0 + t], y1 = X[c1 + t];
        s00 += x0 * y0; s01 += x0 * y1;
        s10 += x1 * y0; s11 += x1 * y1;
        s20 += x2 * y0; s21 += x2 * y1;
      }
      G[o + b] = s00; G[o + b + 1] = s01;
      G[o + TILE + b] = s10; G[o + TILE + b + 1] = s11;
      G[o + 2 * TILE + b] = s20; G[o + 2 * TILE + b + 1] = s21;
    }
    for (let b = cols2; b < nj; b++) {
      const c0 = (j0 + b) * d;
      G[o + b] = sequentialDot(X, r0, c0, d);
      G[o + TILE + b] = sequentialDot(X, r1, c0, d);
      G[o + 2 * TILE + b] = sequentialDot(X, r2, c0, d);
    }
  }
  for (let a = rows3; a < ni; a++) {
    for (let b = 0; b < nj; b++) G[a * TILE + b] = sequentialDot(X, (i0 + a) * d, (j0 + b) * d, d);
  }
}

/** Σ_t X[ri+t]·X[rj+t] summed left to right, the order of gramTile's register tile. */
function sequentialDot(X: Float64Array, ri: number, rj: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) s += X[ri + t] * X[rj + t];
  return s;
}

/**
 * (2/π)·arcsin⟨x_i, x_j⟩ for unit rows i, j of X with Gram entry g. arcsin is ill-conditioned
 * near ±1 (arcsin(1 − δ) = π/2 − √(2δ) + …, so a rounding error of 1e-16 in g moves it by 1e-8);
 * there the angle is taken from the chord instead, θ = 2·arcsin(‖x_i ∓ x_j‖/2), whose argument
 * stays ≤ ½. Identical rows thus give exactly 1, and C_hh' exactly 1 for duplicated heads, which
 * keeps their rows of C identical (exactly singular) rather than nearly so. Every arcsin argument
 * is in [−½, ½] (up to rounding), so no clamp to [−1, 1] is needed.
 */
function unitArcsin(X: Float64Array, d: number, ri: number, rj: number, g: number): number {
  if (g > 0.5 || g < -0.5) {
    const sign = g > 0 ? -1 : 1;
    let s = 0;
    for (let t = 0; t < d; t++) {
      const e = X[ri + t] + sign * X[rj + t];
      s += e * e;
    }
    const half = Math.min(0.5 * Math.sqrt(s), 1);
    const u = 1 - FOUR_OVER_PI * Math.asin(half);
    return g > 0 ? u : -u;
  }
  return TWO_OVER_PI * Math.asin(g);
}

/**
 * Computes the tile C'[i0 .. i0+ni) × [j0 .. j0+nj) into scratch.gq (row stride TILE), with
 * C'_hh = ½ exactly on the diagonal (C_hh = 1).
 */
function shiftedTile(heads: Rank1Heads, i0: number, ni: number, j0: number, nj: number, scratch: TileScratch): Float64Array {
  const { d, q, k } = heads;
  const { gq, gk } = scratch;
  gramTile(q, d, i0, ni, j0, nj, gq);
  gramTile(k, d, i0, ni, j0, nj, gk);
  for (let a = 0; a < ni; a++) {
    const ri = (i0 + a) * d;
    const o = a * TILE;
    for (let b = 0; b < nj; b++) {
      const rj = (j0 + b) * d;
      const uq = unitArcsin(q, d, ri, rj, gq[o + b]);
      const uk = unitArcsin(k, d, ri, rj, gk[o + b]);
      gq[o + b] = 0.5 * uq * uk;
    }
  }
  if (i0 === j0) for (let a = 0; a < ni; a++) gq[a * TILE + a] = 0.5;
  return gq;
}

/** Visits the tiles (I, J) with J ≤ I of an H×H symmetric matrix, in a fixed order. */
function forEachLowerTile(H: number, visit: (i0: number, ni: number, j0: number, nj: number) => void): void {
  for (let i0 = 0; i0 < H; i0 += TILE) {
    const ni = Math.min(TILE, H - i0);
    for (let j0 = 0; j0 <= i0; j0 += TILE) visit(i0, ni, j0, Math.min(TILE, H - j0));
  }
}

// ---------------------------------------------------------------------------------------------
// Dense kernel and matrix-free products

/** The H×H kernel C (row-major, symmetric, unit diagonal, entries in [0, 1]); 8H² bytes. */
export function kernelMatrix(heads: Rank1Heads): Float64Array {
  checkHeads(heads);
  const H = heads.count;
  const C = new Float64Array(H * H);
  const scratch = newScratch();
  forEachLowerTile(H, (i0, ni, j0, nj) => writeTile(C, H, shiftedTile(heads, i0, ni, j0, nj, scratch), i0, ni, j0, nj));
  return C;
}

/** Writes C = ½ + C' for a tile of C' into the blocks (I, J) and (J, I) of the H×H matrix C. */
function writeTile(C: Float64Array, H: number, tile: Float64Array, i0: number, ni: number, j0: number, nj: number): void {
  for (let a = 0; a < ni; a++) {
    const row = (i0 + a) * H + j0;
    const o = a * TILE;
    for (let b = 0; b < nj; b++) C[row + b] = 0.5 + tile[o + b];
  }
  if (i0 === j0) return;
  // The mirrored block is written row by row too, reading the tile (in L1) down its columns.
  for (let b = 0; b < nj; b++) {
    const row = (j0 + b) * H + i0;
    for (let a = 0; a < ni; a++) C[row + a] = 0.5 + tile[a * TILE + b];
  }
}

/**
 * kernelMatrix(heads) computed by `workers` worker threads (default 2; 0 computes in this
 * thread), into a SharedArrayBuffer-backed array; bit-identical to kernelMatrix, since every
 * tile is computed by the same code whichever thread takes it. Workers take whole rows of tiles,
 * the longest first, from a shared counter. Starting a worker costs ≈ 0.1 s, so this pays from
 * H ≈ 2000 on (d = 64), on idle cores. Needs the compiled module (npm run build).
 */
export async function kernelMatrixParallel(heads: Rank1Heads, options: { workers?: number } = {}): Promise<Float64Array> {
  checkHeads(heads);
  const workers = options.workers ?? 2;
  if (!(Number.isInteger(workers) && workers >= 0)) throw new RangeError(`workers must be a non-negative integer (got ${workers})`);
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
  const moduleUrl = compiledModule(import.meta.url, 'arcsin-kernel').href;
  const finished: Promise<void>[] = [];
  for (let w = 0; w < workers; w++) {
    // An eval'd entry that imports this module keeps the build in one file; the worker runs the
    // compiled JavaScript even when this thread runs the TypeScript (tests).
    const worker = new Worker(WORKER_ENTRY, { eval: true, workerData: { moduleUrl, task } });
    finished.push(
      new Promise<void>((resolve, reject) => {
        worker.once('message', () => resolve());
        worker.once('error', reject);
        worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`kernel build worker exited with code ${code}`))));
      }),
    );
  }
  await Promise.all(finished);
  return new Float64Array(task.out);
}

const WORKER_ENTRY = `
const { parentPort, workerData } = require('node:worker_threads');
import(workerData.moduleUrl).then((m) => {
  m.buildKernelRows(workerData.task);
  parentPort.postMessage('done');
});
`;

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

/**
 * outs[m] = C' vs[m] for each m, recomputing C' tile by tile (memory O(H + TILE²)); every tile
 * is computed once and applied to all vectors, and to both (I, J) and (J, I) by symmetry.
 */
function shiftedMatVecMatrixFree(heads: Rank1Heads, vs: Float64Array[], outs: Float64Array[]): void {
  for (const out of outs) out.fill(0, 0, heads.count);
  const scratch = newScratch();
  forEachLowerTile(heads.count, (i0, ni, j0, nj) => {
    applyTile(shiftedTile(heads, i0, ni, j0, nj, scratch), 0, i0, ni, j0, nj, vs, outs);
  });
}

/** outs[m][I] += T vs[m][J] and, off the diagonal, outs[m][J] += Tᵀ vs[m][I], for the tile T at tiles[base ..]. */
function applyTile(
  tiles: Float64Array,
  base: number,
  i0: number,
  ni: number,
  j0: number,
  nj: number,
  vs: Float64Array[],
  outs: Float64Array[],
): void {
  if (vs.length === 2) {
    applyTileToPair(tiles, base, i0, ni, j0, nj, vs[0], vs[1], outs[0], outs[1]);
    return;
  }
  for (let s = 0; s < vs.length; s++) {
    const v = vs[s];
    const out = outs[s];
    for (let a = 0; a < ni; a++) {
      const o = base + a * TILE;
      let acc = 0;
      for (let b = 0; b < nj; b++) acc += tiles[o + b] * v[j0 + b];
      out[i0 + a] += acc;
    }
    if (i0 !== j0) {
      for (let a = 0; a < ni; a++) {
        const o = base + a * TILE;
        const va = v[i0 + a];
        for (let b = 0; b < nj; b++) out[j0 + b] += tiles[o + b] * va;
      }
    }
  }
}

/** applyTile for two vectors (CG's case) in one sweep of the tile: both directions, both vectors. */
function applyTileToPair(
  tiles: Float64Array,
  base: number,
  i0: number,
  ni: number,
  j0: number,
  nj: number,
  v0: Float64Array,
  v1: Float64Array,
  o0: Float64Array,
  o1: Float64Array,
): void {
  if (i0 === j0) {
    for (let a = 0; a < ni; a++) {
      const o = base + a * TILE;
      let s0 = 0, s1 = 0;
      for (let b = 0; b < nj; b++) {
        const t = tiles[o + b];
        s0 += t * v0[j0 + b];
        s1 += t * v1[j0 + b];
      }
      o0[i0 + a] += s0;
      o1[i0 + a] += s1;
    }
    return;
  }
  for (let a = 0; a < ni; a++) {
    const o = base + a * TILE;
    const x0 = v0[i0 + a];
    const x1 = v1[i0 + a];
    // Two accumulators per output: one would serialise the loop on the latency of addition.
    let s0 = 0, s1 = 0, r0 = 0, r1 = 0;
    let b = 0;
    for (; b + 1 < nj; b += 2) {
      const t = tiles[o + b];
      const u = tiles[o + b + 1];
      const j = j0 + b;
      s0 += t * v0[j]; s1 += t * v1[j];
      r0 += u * v0[j + 1]; r1 += u * v1[j + 1];
      o0[j] += t * x0; o1[j] += t * x1;
      o0[j + 1] += u * x0; o1[j + 1] += u * x1;
    }
    if (b < nj) {
      const t = tiles[o + b];
      const j = j0 + b;
      s0 += t * v0[j]; s1 += t * v1[j];
      o0[j] += t * x0; o1[j] += t * x1;
    }
    o0[i0 + a] += s0 + r0;
    o1[i0 + a] += s1 + r1;
  }
}

/**
 * C' as its lower tiles, computed once and stored in forEachLowerTile order (TILE² slots, ≈ 4H²
 * bytes: half of kernelMatrix's, no mirrored writes), for products that only read.
 */
function packedTiles(heads: Rank1Heads): Float64Array {
  const n = Math.ceil(heads.count / TILE);
  const tiles = new Float64Array(((n * (n + 1)) / 2) * TILE * TILE);
  const scratch = newScratch();
  let base = 0;
  forEachLowerTile(heads.count, (i0, ni, j0, nj) => {
    tiles.set(shiftedTile(heads, i0, ni, j0, nj, scratch), base);
    base += TILE * TILE;
  });
  return tiles;
}

function shiftedMatVecPacked(tiles: Float64Array, H: number, vs: Float64Array[], outs: Float64Array[]): void {
  for (const out of outs) out.fill(0, 0, H);
  let base = 0;
  forEachLowerTile(H, (i0, ni, j0, nj) => {
    applyTile(tiles, base, i0, ni, j0, nj, vs, outs);
    base += TILE * TILE;
  });
}

/**
 * outs[m] = C' vs[m] (m = 0, 1) from a stored C, reading only its lower triangle, once for both
 * vectors. C_ij − ½ is formed before multiplying: the products are then O(1/√d) rather than ½,
 * and so are their rounding errors.
 */
function shiftedMatVecDense(C: Float64Array, H: number, vs: Float64Array[], outs: Float64Array[]): void {
  const [v0, v1] = vs;
  const [o0, o1] = outs;
  o0.fill(0, 0, H);
  o1.fill(0, 0, H);
  for (let i = 0; i < H; i++) {
    const row = i * H;
    const a0 = v0[i];
    const a1 = v1[i];
    // Two accumulators per output: one would serialise the loop on the latency of addition.
    let s0 = 0, s1 = 0, t0 = 0, t1 = 0;
    let j = 0;
    for (; j + 1 < i; j += 2) {
      const c = C[row + j] - 0.5;
      const e = C[row + j + 1] - 0.5;
      s0 += c * v0[j]; t0 += c * v1[j];
      s1 += e * v0[j + 1]; t1 += e * v1[j + 1];
      o0[j] += c * a0; o1[j] += c * a1;
      o0[j + 1] += e * a0; o1[j + 1] += e * a1;
    }
    if (j < i) {
      const c = C[row + j] - 0.5;
      s0 += c * v0[j]; t0 += c * v1[j];
      o0[j] += c * a0; o1[j] += c * a1;
    }
    const diag = C[row + i] - 0.5;
    o0[i] += s0 + s1 + diag * a0;
    o1[i] += t0 + t1 + diag * a1;
  }
}

/** Applies C' to two vectors at once (outs[m] = C' vs[m]), from a stored C or matrix-free. */
type ShiftedOperator = (vs: Float64Array[], outs: Float64Array[]) => void;

function shiftedOperator(heads: Rank1Heads, kind: KernelOperator, dense: Float64Array | undefined): ShiftedOperator {
  const H = heads.count;
  if (kind === 'dense') {
    const C = dense ?? kernelMatrix(heads);
    return (vs, outs) => shiftedMatVecDense(C, H, vs, outs);
  }
  if (kind === 'packed') {
    const tiles = packedTiles(heads);
    return (vs, outs) => shiftedMatVecPacked(tiles, H, vs, outs);
  }
  return (vs, outs) => shiftedMatVecMatrixFree(heads, vs, outs);
}

/** out = C v (v, out of length H; they may be the same array) without storing C; returns out. */
export function kernelMatVec(heads: Rank1Heads, v: ArrayLike<number>, out: Float64Array): Float64Array {
  checkHeads(heads);
  const H = heads.count;
  checkVector(v, H, 'v');
  if (out.length < H) throw new RangeError(`out has length ${out.length}, expected at least H = ${H}`);
  const vv = Float64Array.from(v as ArrayLike<number>);
  shiftedMatVecMatrixFree(heads, [vv], [out]);
  const half = 0.5 * sum(vv);
  for (let i = 0; i < H; i++) out[i] += half;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Cholesky

/** Columns per panel of the blocked Cholesky. */
const PANEL = 32;
/** Inner-product length per pass of the panel update: keeps the panel's slice (32×256×8 B) in L2. */
const DEPTH = 256;

/**
 * In-place lower Cholesky factor of the n×n row-major SPD matrix A (only its lower triangle is
 * read; the strict upper triangle is left as scratch). Returns −1 on success, or the column whose
 * pivot was numerically non-positive: ≤ n·ε times that diagonal entry, the size of the rounding
 * noise a pivot of an exactly singular matrix comes out with (Cholesky's backward error is
 * ≤ (n+1)ε·|L||Lᵀ|, whose diagonal is A's).
 *
 * Left-looking by panels of PANEL columns: first the panel of every row below is updated with
 * the rows' earlier columns (L[i, :jb]·L[c, :jb], 3 rows × 2 panel columns per register tile, the
 * same kernel as the Gram tiles), then the panel is finished row by row against its diagonal
 * block. All inner loops run along rows, which are contiguous.
 */
function choleskyInPlace(A: Float64Array, n: number): number {
  const diag = new Float64Array(n);
  for (let i = 0; i < n; i++) diag[i] = A[i * n + i];
  for (let jb = 0; jb < n; jb += PANEL) {
    const je = Math.min(n, jb + PANEL);
    const w = je - jb;
    for (let kb = 0; kb < jb; kb += DEPTH) {
      const ke = Math.min(jb, kb + DEPTH);
      panelUpdate(A, n, jb, w, kb, ke);
    }
    for (let i = jb; i < n; i++) {
      const ri = i * n;
      const last = Math.min(je, i + 1);
      for (let c = jb; c < last; c++) {
        const rc = c * n;
        let s = A[ri + c];
        for (let t = jb; t < c; t++) s -= A[ri + t] * A[rc + t];
        if (c === i) {
          if (!(s > n * EPS * diag[i])) return i;
          A[ri + c] = Math.sqrt(s);
        } else {
          A[ri + c] = s / A[rc + c];
        }
      }
    }
  }
  return -1;
}

/** A[i, c] −= Σ_{t∈[kb,ke)} A[i, t]·A[c, t] for rows i ≥ jb and panel columns c ∈ [jb, jb+w). */
function panelUpdate(A: Float64Array, n: number, jb: number, w: number, kb: number, ke: number): void {
  const cols2 = w - (w % 2);
  let i = jb;
  for (; i + 2 < n; i += 3) {
    const r0 = i * n, r1 = r0 + n, r2 = r1 + n;
    for (let c = 0; c < cols2; c += 2) {
      const c0 = (jb + c) * n, c1 = c0 + n;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0;
      for (let t = kb; t < ke; t++) {
        const x0 = A[r0 + t], x1 = A[r1 + t], x2 = A[r2 + t];
        const y0 = A[c0 + t], y1 = A[c1 + t];
        s00 += x0 * y0; s01 += x0 * y1;
        s10 += x1 * y0; s11 += x1 * y1;
        s20 += x2 * y0; s21 += x2 * y1;
      }
      const col = jb + c;
      A[r0 + col] -= s00; A[r0 + col + 1] -= s01;
      A[r1 + col] -= s10; A[r1 + col + 1] -= s11;
      A[r2 + col] -= s20; A[r2 + col + 1] -= s21;
    }
    for (let c = cols2; c < w; c++) {
      const c0 = (jb + c) * n;
      A[r0 + jb + c] -= dot(A, r0 + kb, A, c0 + kb, ke - kb);
      A[r1 + jb + c] -= dot(A, r1 + kb, A, c0 + kb, ke - kb);
      A[r2 + jb + c] -= dot(A, r2 + kb, A, c0 + kb, ke - kb);
    }
  }
  for (; i < n; i++) {
    for (let c = 0; c < w; c++) A[i * n + jb + c] -= dot(A, i * n + kb, A, (jb + c) * n + kb, ke - kb);
  }
}

/** Solves L Lᵀ x = b with the factor from choleskyInPlace (lower triangle of L); returns x. */
function choleskySolve(L: Float64Array, n: number, b: Float64Array): Float64Array {
  const y = Float64Array.from(b);
  for (let i = 0; i < n; i++) y[i] = (y[i] - dot(L, i * n, y, 0, i)) / L[i * n + i];
  // Lᵀx = y by columns of Lᵀ, i.e. rows of L: contiguous, where Lᵀ's rows would be strided.
  for (let i = n - 1; i >= 0; i--) {
    const ri = i * n;
    const xi = y[i] / L[ri + i];
    y[i] = xi;
    for (let t = 0; t < i; t++) y[t] -= L[ri + t] * xi;
  }
  return y;
}

/**
 * Factors C + ρI with the smallest ρ ∈ {0, 1e-14·s, 1e-13·s, …, 1e-6·s} (s = trace/H) for which
 * every pivot is numerically positive; C itself is not modified. Ridges below H·ε·s/2 are not
 * tried: the pivots they lift a zero pivot to (≈ ρ to 2ρ) stay under choleskyInPlace's threshold.
 */
function factorWithRidge(C: Float64Array, H: number): { L: Float64Array; ridge: number } {
  let trace = 0;
  for (let i = 0; i < H; i++) trace += C[i * H + i];
  const L = new Float64Array(H * H);
  const first = Math.max(0, Math.ceil(Math.log10((H * EPS) / 2 / 1e-14)));
  for (let step = -1; step <= 8; step++) {
    if (step >= 0 && step < first) continue;
    const ridge = step < 0 ? 0 : 1e-14 * 10 ** step * (trace / H);
    L.set(C);
    for (let i = 0; i < H; i++) L[i * H + i] += ridge;
    if (choleskyInPlace(L, H) < 0) return { L, ridge };
  }
  throw new Error('the kernel matrix is not positive semi-definite even with a ridge of 1e-6·trace/H (is it a kernelMatrix?)');
}

/** r = b − C a for a stored C; returns ‖r‖₂. */
function denseResidual(C: Float64Array, H: number, b: Float64Array, a: Float64Array, r: Float64Array): number {
  for (let i = 0; i < H; i++) r[i] = b[i] - dot(C, i * H, a, 0, H);
  return norm(r);
}

/** A solution with its residual vector b − Ca, which optimalError needs and the solvers have. */
interface SolutionWithResidual {
  solution: KernelSolution;
  residual: Float64Array;
}

function solveCholesky(
  C: Float64Array,
  H: number,
  b: Float64Array,
  tolerance: number,
  maxSteps: number,
  bNorm: number,
): SolutionWithResidual {
  const { L, ridge } = factorWithRidge(C, H);
  let a = choleskySolve(L, H, b);
  const r = new Float64Array(H);
  let rNorm = denseResidual(C, H, b, a, r);
  let steps = 0;
  // Iterative refinement: each step costs O(H²) against the O(H³) factorisation, and recovers
  // the digits lost to a ridge or to conditioning. A step that does not halve the residual is
  // undone (b outside C's range, or rounding floor reached).
  while (rNorm > tolerance * bNorm && steps < maxSteps) {
    const delta = choleskySolve(L, H, r);
    const next = new Float64Array(H);
    for (let i = 0; i < H; i++) next[i] = a[i] + delta[i];
    const rNext = new Float64Array(H);
    const nextNorm = denseResidual(C, H, b, next, rNext);
    if (!(nextNorm < 0.5 * rNorm)) break;
    a = next;
    r.set(rNext);
    rNorm = nextNorm;
    steps++;
  }
  const rel = rNorm / bNorm;
  return {
    solution: {
      weights: a,
      iterations: steps,
      relativeResidual: rel,
      converged: rel <= tolerance,
      method: 'cholesky',
      operator: 'dense',
      ridge,
    },
    residual: r,
  };
}

// ---------------------------------------------------------------------------------------------
// Conjugate gradients with the rank-one part removed

/**
 * Solves C a = b as C = C' + ½·11ᵀ by Sherman–Morrison: with x = C'⁻¹b and z = C'⁻¹1,
 * a = x − γz, γ = ½(1ᵀx)/(1 + ½·1ᵀz).
 *
 * Why it converges fast: C' has constant diagonal ½ and, for heads in general position,
 * off-diagonal entries of size O(1/d), so its spectrum sits in a narrow band away from 0 (κ(C')
 * measured 2.2 at d = 64, H = 1024, and 11 at d = 8, H = 300), and CG's iteration count depends
 * on that band only. C has the same band plus one isolated eigenvalue ≈ H/2 (any two heads agree
 * at least half the time). CG would isolate that outlier at the cost of an iteration or so (21
 * instead of 18 at d = 64, H = 1024), but in floating point an eigenvalue ~H·λ_min amplifies the
 * drift of the recursive residual (true residual 2.6e-13 instead of 1.4e-14 there); removing it
 * exactly avoids both. The two systems are iterated together, so that each product (matrix-free:
 * each tile computation) serves both right-hand sides.
 *
 * Stopping: the residual of a is r_x − γ·r_z, and the iteration stops when its norm is ≤ tol·‖b‖.
 * (The bound ‖r_x‖ + |γ|·‖r_z‖ would be 10–50× pessimistic: b is close to a multiple of 1, so
 * r_x and γ·r_z largely cancel, and it costs 3–4 extra products.) It then recomputes both
 * residuals from scratch (one more product) and continues, restarted from those, if the
 * recursively updated ones had drifted; it gives up when a restart did not halve the true
 * residual (the tolerance is below what rounding allows).
 */
function solveConjugateGradients(
  apply: ShiftedOperator,
  operator: KernelOperator,
  H: number,
  b: Float64Array,
  tolerance: number,
  maxIterations: number,
  bNorm: number,
  initial: ArrayLike<number> | undefined,
  initialOnes: ArrayLike<number> | undefined,
): SolutionWithResidual {
  const ones = new Float64Array(H).fill(1);
  const rhs = [b, ones];
  const xs = [new Float64Array(H), new Float64Array(H)];
  if (initial) xs[0].set(initial);
  if (initialOnes) xs[1].set(initialOnes);
  const rs = [new Float64Array(H), new Float64Array(H)];
  const ps = [new Float64Array(H), new Float64Array(H)];
  const ws = [new Float64Array(H), new Float64Array(H)];
  const rr = [0, 0];
  let iterations = 0;

  const trueResiduals = () => {
    apply(xs, ws);
    for (let s = 0; s < 2; s++) {
      const x = rhs[s];
      const r = rs[s];
      for (let i = 0; i < H; i++) r[i] = x[i] - ws[s][i];
      ps[s].set(r);
      rr[s] = dot(r, 0, r, 0, H);
    }
  };
  const gammaOf = () => (0.5 * sum(xs[0])) / (1 + 0.5 * sum(xs[1]));
  const bound = () => {
    const gamma = gammaOf();
    const [rx, rz] = rs;
    let s = 0;
    for (let i = 0; i < H; i++) {
      const e = rx[i] - gamma * rz[i];
      s += e * e;
    }
    return Math.sqrt(s);
  };
  const done = () => bound() <= tolerance * bNorm;

  if (initial || initialOnes) trueResiduals();
  else {
    for (let s = 0; s < 2; s++) {
      rs[s].set(rhs[s]);
      ps[s].set(rhs[s]);
      rr[s] = dot(rhs[s], 0, rhs[s], 0, H);
    }
  }
  let verified = initial !== undefined || initialOnes !== undefined;
  let lastVerified = Infinity;
  for (;;) {
    if (done()) {
      if (verified) break;
      trueResiduals();
      verified = true;
      const now = bound();
      if (!(now < 0.5 * lastVerified)) break;
      lastVerified = now;
      continue;
    }
    if (iterations >= maxIterations) break;
    apply(ps, ws);
    iterations++;
    verified = false;
    for (let s = 0; s < 2; s++) {
      const pw = dot(ps[s], 0, ws[s], 0, H);
      // rr = 0: this system is solved exactly; pw ≤ 0 cannot happen for PSD C' unless p is in
      // its null space (duplicated heads), where there is nothing left to reduce either.
      if (rr[s] === 0 || !(pw > 0)) continue;
      const alpha = rr[s] / pw;
      const x = xs[s], r = rs[s], p = ps[s], w = ws[s];
      for (let i = 0; i < H; i++) {
        x[i] += alpha * p[i];
        r[i] -= alpha * w[i];
      }
      const rrNext = dot(r, 0, r, 0, H);
      const beta = rrNext / rr[s];
      for (let i = 0; i < H; i++) p[i] = r[i] + beta * p[i];
      rr[s] = rrNext;
    }
  }
  if (!verified) trueResiduals();
  const gamma = gammaOf();
  const a = new Float64Array(H);
  const r = new Float64Array(H);
  for (let i = 0; i < H; i++) {
    a[i] = xs[0][i] - gamma * xs[1][i];
    r[i] = rs[0][i] - gamma * rs[1][i];
  }
  const rel = norm(r) / bNorm;
  return {
    solution: {
      weights: a,
      iterations,
      relativeResidual: rel,
      converged: rel <= tolerance,
      method: 'cg',
      operator,
      ridge: 0,
      shiftedSolution: xs[0],
      shiftedOnes: xs[1],
    },
    residual: r,
  };
}

// ---------------------------------------------------------------------------------------------
// Public solves

/**
 * b ∈ R^H (an agreement vector, entries in [0, 1]); returns a ≈ C⁻¹b, the optimal output
 * weights, with the solver's details. See SolveOptions for the choices.
 */
export function solveKernel(heads: Rank1Heads, b: ArrayLike<number>, options: SolveOptions = {}): KernelSolution {
  return solveWithResidual(heads, b, options).solution;
}

function solveWithResidual(heads: Rank1Heads, b: ArrayLike<number>, options: SolveOptions): SolutionWithResidual {
  checkHeads(heads);
  const H = heads.count;
  checkVector(b, H, 'b');
  const tolerance = options.tolerance ?? 1e-12;
  if (!(tolerance > 0)) throw new RangeError(`tolerance must be positive (got ${tolerance})`);
  const method = options.method ?? 'auto';
  if (method !== 'auto' && method !== 'cholesky' && method !== 'cg') throw new RangeError(`unknown method ${String(method)}`);
  const chosen: SolveMethod = method === 'auto' ? (H <= CHOLESKY_LIMIT ? 'cholesky' : 'cg') : method;
  const maxIterations = options.maxIterations ?? (chosen === 'cg' ? Math.max(100, Math.min(2 * H, 1000)) : 3);
  if (!(Number.isInteger(maxIterations) && maxIterations >= 0)) {
    throw new RangeError(`maxIterations must be a non-negative integer (got ${maxIterations})`);
  }
  if (options.dense && options.dense.length !== H * H) {
    throw new RangeError(`options.dense has length ${options.dense.length}, expected H² = ${H * H}`);
  }
  if (options.initial) checkVector(options.initial, H, 'options.initial');
  if (options.initialOnes) checkVector(options.initialOnes, H, 'options.initialOnes');
  const bb = Float64Array.from(b as ArrayLike<number>);
  const bNorm = norm(bb);
  const choice = options.operator ?? 'auto';
  if (!['auto', 'dense', 'packed', 'matrix-free'].includes(choice)) throw new RangeError(`unknown operator ${String(choice)}`);
  const operator: KernelOperator =
    chosen === 'cholesky' ? 'dense' : choice !== 'auto' ? choice : options.dense ? 'dense' : H <= PACKED_LIMIT ? 'packed' : 'matrix-free';

  if (bNorm === 0) {
    return {
      solution: { weights: new Float64Array(H), iterations: 0, relativeResidual: 0, converged: true, method: chosen, operator, ridge: 0 },
      residual: new Float64Array(H),
    };
  }
  if (chosen === 'cholesky') {
    const C = options.dense ?? kernelMatrix(heads);
    return solveCholesky(C, H, bb, tolerance, maxIterations, bNorm);
  }
  return solveConjugateGradients(
    shiftedOperator(heads, operator, options.dense),
    operator,
    H,
    bb,
    tolerance,
    maxIterations,
    bNorm,
    options.initial,
    options.initialOnes,
  );
}

/**
 * b ∈ R^H (agreement vector); the D_2 error 1 − bᵀC⁻¹b of the best output weights for these
 * heads, computed as the error 1 − 2aᵀb + aᵀCa of the weights a the solver returns.
 */
export function optimalError(heads: Rank1Heads, b: ArrayLike<number>, options: SolveOptions = {}): OptimalError {
  const { solution, residual } = solveWithResidual(heads, b, options);
  const a = solution.weights;
  // 1 − 2aᵀb + aᵀCa = 1 − aᵀb − aᵀr with r = b − Ca, which the solver has already formed.
  let ab = 0;
  let ar = 0;
  for (let i = 0; i < heads.count; i++) {
    ab += a[i] * b[i];
    ar += a[i] * residual[i];
  }
  return { ...solution, error: 1 - ab - ar };
}

/** a, b ∈ R^H; the D_2 error 1 − 2aᵀb + aᵀCa of output weights a (any a), matrix-free. */
export function errorForWeights(heads: Rank1Heads, b: ArrayLike<number>, a: ArrayLike<number>): number {
  checkHeads(heads);
  const H = heads.count;
  checkVector(b, H, 'b');
  checkVector(a, H, 'a');
  const Ca = kernelMatVec(heads, a, new Float64Array(H));
  let ab = 0;
  let aCa = 0;
  for (let i = 0; i < H; i++) {
    ab += a[i] * b[i];
    aCa += a[i] * Ca[i];
  }
  return 1 - 2 * ab + aCa;
}

// ---------------------------------------------------------------------------------------------
// Small vector helpers

function sum(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s;
}

function norm(v: Float64Array): number {
  return Math.sqrt(dot(v, 0, v, 0, v.length));
}
