/**
 * The arcsin kernel C of rank-1 hardmax heads (arcsin-kernel.ts has the mathematics) computed in
 * tiles of TILE×TILE entries of C' = C − ½·11ᵀ: the two Gram tiles come from a register-blocked
 * product, turn into C' entries, and are then written (kernelMatrix), stored (the packed operator)
 * or applied to vectors at once (the matrix-free product), using symmetry so that each tile is
 * computed once.
 */
import { checkHeads, checkVector, type Rank1Heads } from './rank1-heads.js';

/**
 * How C is applied: 'dense' stores it (8H² bytes), 'packed' stores the lower tiles of C'
 * (≈ 4H² bytes), 'matrix-free' recomputes the tiles on every product (O(H) memory, ≈ 60 ns per
 * pair of heads at d = 64 per product).
 */
export type KernelOperator = 'dense' | 'packed' | 'matrix-free';

/** Tile side: a multiple of both register-tile sides (3 rows × 2 columns) below. */
export const TILE = 48;
const TWO_OVER_PI = 2 / Math.PI;
const FOUR_OVER_PI = 4 / Math.PI;

/** Work buffers of one tile: the two Gram tiles; the C' tile overwrites the first. */
export interface TileScratch {
  gq: Float64Array;
  gk: Float64Array;
}

export function newScratch(): TileScratch {
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
      let s00 = 0,
        s01 = 0,
        s10 = 0,
        s11 = 0,
        s20 = 0,
        s21 = 0;
      for (let t = 0; t < d; t++) {
        const x0 = X[r0 + t],
          x1 = X[r1 + t],
          x2 = X[r2 + t];
        const y0 = X[c0 + t],
          y1 = X[c1 + t];
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
        s20 += x2 * y0;
        s21 += x2 * y1;
      }
      G[o + b] = s00;
      G[o + b + 1] = s01;
      G[o + TILE + b] = s10;
      G[o + TILE + b + 1] = s11;
      G[o + 2 * TILE + b] = s20;
      G[o + 2 * TILE + b + 1] = s21;
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
export function shiftedTile(
  heads: Rank1Heads,
  i0: number,
  ni: number,
  j0: number,
  nj: number,
  scratch: TileScratch,
): Float64Array {
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
export function forEachLowerTile(H: number, visit: (i0: number, ni: number, j0: number, nj: number) => void): void {
  for (let i0 = 0; i0 < H; i0 += TILE) {
    const ni = Math.min(TILE, H - i0);
    for (let j0 = 0; j0 <= i0; j0 += TILE) visit(i0, ni, j0, Math.min(TILE, H - j0));
  }
}

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
export function writeTile(
  C: Float64Array,
  H: number,
  tile: Float64Array,
  i0: number,
  ni: number,
  j0: number,
  nj: number,
): void {
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
 * outs[m] = C' vs[m] for each m, recomputing C' tile by tile (memory O(H + TILE²)); every tile
 * is computed once and applied to all vectors, and to both (I, J) and (J, I) by symmetry.
 */
export function shiftedMatVecMatrixFree(heads: Rank1Heads, vs: Float64Array[], outs: Float64Array[]): void {
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
      let s0 = 0,
        s1 = 0;
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
    let s0 = 0,
      s1 = 0,
      r0 = 0,
      r1 = 0;
    let b = 0;
    for (; b + 1 < nj; b += 2) {
      const t = tiles[o + b];
      const u = tiles[o + b + 1];
      const j = j0 + b;
      s0 += t * v0[j];
      s1 += t * v1[j];
      r0 += u * v0[j + 1];
      r1 += u * v1[j + 1];
      o0[j] += t * x0;
      o1[j] += t * x1;
      o0[j + 1] += u * x0;
      o1[j + 1] += u * x1;
    }
    if (b < nj) {
      const t = tiles[o + b];
      const j = j0 + b;
      s0 += t * v0[j];
      s1 += t * v1[j];
      o0[j] += t * x0;
      o1[j] += t * x1;
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
    let s0 = 0,
      s1 = 0,
      t0 = 0,
      t1 = 0;
    let j = 0;
    for (; j + 1 < i; j += 2) {
      const c = C[row + j] - 0.5;
      const e = C[row + j + 1] - 0.5;
      s0 += c * v0[j];
      t0 += c * v1[j];
      s1 += e * v0[j + 1];
      t1 += e * v1[j + 1];
      o0[j] += c * a0;
      o1[j] += c * a1;
      o0[j + 1] += e * a0;
      o1[j + 1] += e * a1;
    }
    if (j < i) {
      const c = C[row + j] - 0.5;
      s0 += c * v0[j];
      t0 += c * v1[j];
      o0[j] += c * a0;
      o1[j] += c * a1;
    }
    const diag = C[row + i] - 0.5;
    o0[i] += s0 + s1 + diag * a0;
    o1[i] += t0 + t1 + diag * a1;
  }
}

/** Applies C' to two vectors at once (outs[m] = C' vs[m]), from a stored C or matrix-free. */
export type ShiftedOperator = (vs: Float64Array[], outs: Float64Array[]) => void;

export function shiftedOperator(
  heads: Rank1Heads,
  kind: KernelOperator,
  dense: Float64Array | undefined,
): ShiftedOperator {
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

function sum(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s;
}
