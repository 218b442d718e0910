/**
 * Exact float64 multi-head attention, batched over samples on typed arrays.
 *
 * Head h has Q_h, K_h ∈ R^{d×r} and V_h ∈ R^{d×d} (row-major). For a query y and context
 * x_1..x_n the layer outputs Σ_h V_h Σ_i a_{h,i} x_i, where a_h = softmax or hardmax of the
 * scores s_{h,i} = yᵀ Q_h K_hᵀ x_i, or, for a generalized head, of a caller-supplied score of
 * (Q_hᵀ y, x_i, i): the class the paper's lower bounds cover.
 */
import { dot } from '../core/vector.js';
import { simdKernels, type Region, type SimdKernels } from './simd.js';

export type Normalisation = 'softmax' | 'hardmax';

/**
 * Score of a generalized head: p = Q_hᵀy (length r), context point i at X[offset .. offset+d).
 * Must be deterministic and must not keep references to p or X (they are reused buffers).
 */
export type ScoreFunction = (p: Float64Array, X: Float64Array, offset: number, i: number) => number;

export interface HeadWeights {
  /** d×r, row-major. */
  Q: Float64Array;
  /** d×r, row-major (ignored by generalized heads unless their score uses it). */
  K: Float64Array;
  /** d×d, row-major. */
  V: Float64Array;
  /** When set, the head scores with this function of (Q_hᵀy, x_i, i) instead of yᵀQ_hK_hᵀx_i. */
  score?: ScoreFunction;
}

export interface AttentionSpec {
  d: number;
  r: number;
  normalisation: Normalisation;
  heads: HeadWeights[];
}

/**
 * Which kernels compute the ordinary heads' scores, the weighted contexts and the value product:
 * 'wasm-simd' (src/model/wasm/kernels.wat, when the engine has WebAssembly SIMD and
 * RANKCHECK_EVALUATOR is not 'ts') or 'ts', the TypeScript reference. Both give bit-identical
 * outputs.
 */
export type Evaluator = 'wasm-simd' | 'ts';

export interface AttentionOptions {
  /** 'ts' forces the TypeScript reference; 'auto' (default) uses the SIMD kernel when available. */
  evaluator?: 'auto' | 'ts';
}

/**
 * The layer's part of the kernel memory: V, z for one block, the block's outputs, and for the
 * scores each head's query-side matrix (K_hQ_hᵀ when precomputed, else Q_hᵀ) and K_hᵀ, the head
 * table of blockScores, one block's queries, contexts (room for `contexts` doubles) and scores
 * (BLOCK·H·n for n ≤ `points`), and the scratch p = Q_hᵀy, u = K_hQ_hᵀy or K_hp. Offsets in
 * bytes; views over the current buffer.
 */
interface WasmViews {
  region: Region;
  buffer: ArrayBuffer;
  points: number;
  contexts: number;
  vOffset: number;
  zOffset: number;
  outOffset: number;
  tableOffset: number;
  yOffset: number;
  xOffset: number;
  scoresOffset: number;
  pOffset: number;
  uOffset: number;
  z: Float64Array;
  out: Float64Array;
  table: Int32Array;
  y: Float64Array;
  x: Float64Array;
  scores: Float64Array;
}

const align16 = (bytes: number) => Math.ceil(bytes / 16) * 16;

/** Instances per register tile of the value product (the kernel below is written for 4). */
const TILE = 4;
/** Instances per block: their weighted contexts z are computed, then multiplied by [V_1 … V_H] together. */
const BLOCK = 64;
/** Columns of [V_1 … V_H] per cache block (64 rows × 256 columns × 8 B = 128 KiB, an L2's share). */
const COLUMN_BLOCK = 256;

/** A multi-head attention layer with precomputed evaluation structures; immutable. */
export class MultiHeadAttention {
  readonly d: number;
  readonly r: number;
  readonly heads: number;
  readonly normalisation: Normalisation;
  readonly spec: AttentionSpec;
  /** Per head: K_h Q_hᵀ (d×d) when that is cheaper than the factored form, else null. */
  private readonly scoreMatrices: (Float64Array | null)[];
  /** Per head: Q_hᵀ and K_hᵀ (r×d), so that both factored steps run over contiguous rows. */
  private readonly queryT: Float64Array[];
  private readonly keyT: Float64Array[];
  /** [V_1 … V_H]: d × (H·d), so the value step of all heads is one matrix product. */
  private readonly valueConcat: Float64Array;

  /** The kernels this layer runs (see Evaluator). */
  readonly evaluator: Evaluator;
  private readonly kernels: SimdKernels | null;
  private wasm: WasmViews | null = null;

  constructor(spec: AttentionSpec, options: AttentionOptions = {}) {
    const { d, r, heads } = spec;
    if (!(Number.isInteger(d) && d >= 1)) throw new RangeError(`d must be a positive integer (got ${d})`);
    if (!(Number.isInteger(r) && r >= 1 && r <= d)) throw new RangeError(`r must be an integer in [1, d] (got ${r})`);
    if (heads.length === 0) throw new RangeError('an attention layer needs at least one head');
    heads.forEach((h, i) => {
      if (h.Q.length !== d * r || h.K.length !== d * r || h.V.length !== d * d) {
        throw new RangeError(`head ${i}: expected Q, K of length d·r = ${d * r} and V of length d² = ${d * d}`);
      }
    });
    this.d = d;
    this.r = r;
    this.heads = heads.length;
    this.normalisation = spec.normalisation;
    this.spec = spec;
    // The factored score costs 2dr per query, the product form d²; pick the cheaper.
    this.scoreMatrices = heads.map((h) => (h.score || 2 * r < d ? null : scoreMatrix(h, d, r)));
    this.queryT = heads.map((h) => transpose(h.Q, d, r));
    this.keyT = heads.map((h) => transpose(h.K, d, r));
    const H = heads.length;
    this.valueConcat = new Float64Array(d * H * d);
    for (let h = 0; h < H; h++) {
      for (let k = 0; k < d; k++) {
        for (let j = 0; j < d; j++) this.valueConcat[k * H * d + h * d + j] = heads[h].V[k * d + j];
      }
    }
    this.kernels = options.evaluator === 'ts' ? null : simdKernels();
    this.evaluator = this.kernels ? 'wasm-simd' : 'ts';
  }

  /**
   * The layer's region of the kernel memory, allocated (and V copied in) on first use and again
   * after the allocator has reused the memory; null when the TypeScript kernel must run instead.
   */
  private wasmViews(kernels: SimdKernels, n: number, contexts: number): WasmViews | null {
    const { d, r } = this;
    const H = this.heads;
    const HD = H * d;
    let w = this.wasm;
    if (!w || !kernels.valid(w.region) || w.points < n || w.contexts < contexts) {
      // Room for at least the previous sizes, so that alternating calls do not reallocate.
      const points = Math.max(n, w?.points ?? 0);
      contexts = Math.max(contexts, w?.contexts ?? 0);
      const queryMatrices = this.scoreMatrices.map((M, h) => M ?? this.queryT[h]);
      const keyMatrices = this.scoreMatrices.map((M, h) => (M || this.spec.heads[h].score ? null : this.keyT[h]));
      const matrices = [...queryMatrices, ...keyMatrices];
      const matrixBytes = matrices.map((A) => (A ? align16(A.length * 8) : 0));
      const sizes = {
        v: align16(d * HD * 8),
        z: BLOCK * HD * 8,
        out: BLOCK * d * 8,
        matrices: matrixBytes.reduce((a, b) => a + b, 0),
        table: align16(H * 12),
        y: BLOCK * d * 8,
        x: align16(contexts * 8),
        scores: align16(BLOCK * H * points * 8),
        p: align16(r * 8),
        u: align16(d * 8),
      };
      const region = kernels.allocate(Object.values(sizes).reduce((a, b) => a + b, 0));
      if (!region) return null;
      let at = region.offset;
      const take = (bytes: number) => {
        const o = at;
        at += bytes;
        return o;
      };
      const vOffset = take(sizes.v);
      const zOffset = take(sizes.z);
      const outOffset = take(sizes.out);
      const matrixOffsets = matrixBytes.map(take);
      const tableOffset = take(sizes.table);
      const yOffset = take(sizes.y);
      const xOffset = take(sizes.x);
      const scoresOffset = take(sizes.scores);
      const pOffset = take(sizes.p);
      const uOffset = take(sizes.u);
      new Float64Array(kernels.buffer, vOffset, d * HD).set(this.valueConcat);
      matrices.forEach((A, i) => A && new Float64Array(kernels.buffer, matrixOffsets[i], A.length).set(A));
      // Per head: kind (0 to 3, see blockScores; the few/many choice depends on n, so the
      // caller sets it), the query-side matrix and K_hᵀ.
      const table = new Int32Array(kernels.buffer, tableOffset, 3 * H);
      for (let h = 0; h < H; h++) {
        table[3 * h + 1] = matrixOffsets[h];
        table[3 * h + 2] = matrixOffsets[H + h];
      }
      // The views are made below (the empty buffer never matches the memory's).
      const none = new Float64Array(0);
      w = {
        region,
        buffer: new ArrayBuffer(0),
        points,
        contexts,
        vOffset,
        zOffset,
        outOffset,
        tableOffset,
        yOffset,
        xOffset,
        scoresOffset,
        pOffset,
        uOffset,
        z: none,
        out: none,
        table: new Int32Array(0),
        y: none,
        x: none,
        scores: none,
      };
      this.wasm = w;
    }
    if (w.buffer !== kernels.buffer) {
      // First use, or the memory grew (which detaches the previous views).
      w.buffer = kernels.buffer;
      w.z = new Float64Array(w.buffer, w.zOffset, BLOCK * HD);
      w.out = new Float64Array(w.buffer, w.outOffset, BLOCK * d);
      w.table = new Int32Array(w.buffer, w.tableOffset, 3 * H);
      w.y = new Float64Array(w.buffer, w.yOffset, BLOCK * d);
      w.x = new Float64Array(w.buffer, w.xOffset, w.contexts);
      w.scores = new Float64Array(w.buffer, w.scoresOffset, BLOCK * H * w.points);
    }
    return w;
  }

  /**
   * Evaluates the layer on `size` samples with n context points (X: size×n×d) and m queries
   * each (Yq: size×m×d; for self-attention pass Yq = X and m = n). Returns size×m×d outputs.
   */
  evaluate(X: Float64Array, Yq: Float64Array, size: number, n: number, m: number, out?: Float64Array): Float64Array {
    const { d } = this;
    if (X.length < size * n * d || Yq.length < size * m * d)
      throw new RangeError('evaluate: input arrays are too short');
    const result = out ?? new Float64Array(size * m * d);
    const instances = size * m;
    const scratch = this.scratchFor(n);
    const kernels = this.kernels;
    // A block of BLOCK instances spans at most this many samples' contexts.
    const samples = Math.min(size, m === 1 ? BLOCK : Math.floor((m + BLOCK - 2) / m) + 1);
    const wasm = kernels && size > 0 && n > 0 ? this.wasmViews(kernels, n, samples * n * d) : null;
    if (!kernels || !wasm) {
      this.evaluateBlocks(X, Yq, n, m, instances, scratch, result);
      return result;
    }
    kernels.depth++;
    try {
      this.evaluateBlocksWasm(X, Yq, n, m, instances, scratch, result, kernels, wasm);
    } finally {
      kernels.depth--;
    }
    return result;
  }

  /** The TypeScript reference. */
  private evaluateBlocks(
    X: Float64Array,
    Yq: Float64Array,
    n: number,
    m: number,
    instances: number,
    scratch: { p: Float64Array; u: Float64Array; scores: Float64Array; z: Float64Array },
    result: Float64Array,
  ): void {
    const { d } = this;
    const HD = this.heads * d;
    const z = scratch.z;
    for (let start = 0; start < instances; start += BLOCK) {
      const count = Math.min(BLOCK, instances - start);
      const groups = Math.ceil(count / TILE);
      if (count % TILE !== 0) z.fill(0, (groups - 1) * HD * TILE, groups * HD * TILE);
      for (let t = 0; t < count; t++) {
        const inst = start + t;
        this.weightedContexts(
          X,
          Math.floor(inst / m) * n * d,
          Yq,
          inst * d,
          n,
          z,
          ((t / TILE) | 0) * HD * TILE,
          t % TILE,
          scratch,
        );
      }
      result.fill(0, start * d, (start + count) * d);
      this.valueProduct(z, groups, count, result, start * d);
    }
  }

  /**
   * The same with the kernels, per block: the block's queries and contexts are copied into the
   * kernel memory, blockScores computes the ordinary heads' scores of all its instances (the
   * generalized heads' are computed here), normaliseAt turns each instance's and head's n scores
   * into weights, blockContexts writes z and valueProduct multiplies it by [V_1 … V_H]: three
   * calls into wasm per block, with the operations of weightedContexts and valueProduct.
   */
  private evaluateBlocksWasm(
    X: Float64Array,
    Yq: Float64Array,
    n: number,
    m: number,
    instances: number,
    scratch: { p: Float64Array; scores: Float64Array },
    result: Float64Array,
    kernels: SimdKernels,
    wasm: WasmViews,
  ): void {
    const { d, r } = this;
    const H = this.heads;
    const HD = H * d;
    const { z, scores } = wasm;
    const few = fewPoints(r, n);
    const generalized: number[] = [];
    for (let h = 0; h < H; h++) {
      const head = this.spec.heads[h];
      if (head.score) generalized.push(h);
      wasm.table[3 * h] = head.score ? 3 : this.scoreMatrices[h] ? 0 : few ? 1 : 2;
    }
    const p = scratch.p;
    const k = kernels.exports;
    for (let start = 0; start < instances; start += BLOCK) {
      const count = Math.min(BLOCK, instances - start);
      const groups = Math.ceil(count / TILE);
      const first = Math.floor(start / m);
      const last = Math.floor((start + count - 1) / m);
      const phase = start - first * m;
      wasm.y.set(Yq.subarray(start * d, (start + count) * d));
      wasm.x.set(X.subarray(first * n * d, (last + 1) * n * d));
      k.blockScores(
        wasm.tableOffset,
        H,
        wasm.yOffset,
        wasm.xOffset,
        wasm.scoresOffset,
        wasm.pOffset,
        wasm.uOffset,
        count,
        m,
        phase,
        n,
        d,
        r,
      );
      for (let t = 0; t < count; t++) {
        const inst = start + t;
        for (const h of generalized) {
          const score = this.spec.heads[h].score as ScoreFunction;
          this.queryProduct(h, Yq, inst * d, p);
          const xBase = Math.floor(inst / m) * n * d;
          const o = (t * H + h) * n;
          for (let i = 0; i < n; i++) scores[o + i] = score(p, X, xBase + i * d, i);
        }
        for (let h = 0; h < H; h++) normaliseAt(scores, (t * H + h) * n, n, this.normalisation);
      }
      if (count % TILE !== 0) z.fill(0, (groups - 1) * HD * TILE, groups * HD * TILE);
      k.blockContexts(wasm.scoresOffset, wasm.xOffset, wasm.zOffset, H, count, m, phase, n, d);
      wasm.out.fill(0, 0, groups * TILE * d);
      k.valueProduct(wasm.vOffset, wasm.zOffset, wasm.outOffset, d, HD, groups);
      result.set(wasm.out.subarray(0, count * d), start * d);
    }
  }

  private scratch: { p: Float64Array; u: Float64Array; scores: Float64Array; z: Float64Array } | null = null;

  /** Work buffers, kept between calls (evaluation is synchronous, so one set per layer suffices). */
  private scratchFor(n: number) {
    if (!this.scratch || this.scratch.scores.length < n) {
      this.scratch = {
        p: new Float64Array(this.r),
        u: new Float64Array(this.d),
        scores: new Float64Array(n),
        // z for a block of instances, interleaved by groups of TILE: z[g·HD·TILE + j·TILE + t].
        z: new Float64Array(BLOCK * this.heads * this.d),
      };
    }
    return this.scratch;
  }

  /** p = Q_hᵀy for head h and the query at Y[yOff .. yOff+d). */
  private queryProduct(h: number, Y: Float64Array, yOff: number, p: Float64Array): void {
    const { d } = this;
    const QT = this.queryT[h];
    for (let c = 0; c < this.r; c++) p[c] = dot(QT, c * d, Y, yOff, d);
  }

  /** Writes z_h = Σ_i a_{h,i} x_i of every head for one query into the interleaved block buffer. */
  private weightedContexts(
    X: Float64Array,
    xBase: number,
    Y: Float64Array,
    yOff: number,
    n: number,
    z: Float64Array,
    zGroup: number,
    slot: number,
    scratch: { p: Float64Array; u: Float64Array; scores: Float64Array },
  ): void {
    const { d, r } = this;
    const { p, u, scores } = scratch;
    for (let h = 0; h < this.heads; h++) {
      const head = this.spec.heads[h];
      const M = this.scoreMatrices[h];
      if (head.score || !M) {
        this.queryProduct(h, Y, yOff, p);
      }
      if (head.score) {
        for (let i = 0; i < n; i++) scores[i] = head.score(p, X, xBase + i * d, i);
      } else {
        if (M) {
          for (let k = 0; k < d; k++) u[k] = dot(M, k * d, Y, yOff, d);
          for (let i = 0; i < n; i++) scores[i] = dot(u, 0, X, xBase + i * d, d);
        } else if (fewPoints(r, n)) {
          // Few points: s_i = Σ_c p_c ⟨K_hᵀ row c, x_i⟩, all contiguous dot products.
          const KT = this.keyT[h];
          for (let i = 0; i < n; i++) {
            let s = 0;
            for (let c = 0; c < r; c++) s += p[c] * dot(KT, c * d, X, xBase + i * d, d);
            scores[i] = s;
          }
        } else {
          // Many points: u = K_h p once (a sum of K_h's columns), then s_i = ⟨u, x_i⟩.
          const KT = this.keyT[h];
          const p0 = p[0];
          for (let k = 0; k < d; k++) u[k] = KT[k] * p0;
          for (let c = 1; c < r; c++) {
            const pc = p[c];
            const row = c * d;
            for (let k = 0; k < d; k++) u[k] += KT[row + k] * pc;
          }
          for (let i = 0; i < n; i++) scores[i] = dot(u, 0, X, xBase + i * d, d);
        }
      }
      normalise(scores, n, this.normalisation);
      const zh = zGroup + h * d * TILE + slot;
      for (let k = 0; k < d; k++) z[zh + k * TILE] = 0;
      for (let i = 0; i < n; i++) {
        const a = scores[i];
        if (a === 0) continue;
        const x = xBase + i * d;
        for (let k = 0; k < d; k++) z[zh + k * TILE] += a * X[x + k];
      }
    }
  }

  /**
   * out_t += [V_1 … V_H] z_t for a block of instances: column blocks for cache reuse, and a
   * 2-row × 4-instance register tile (6 loads per 8 multiply–adds).
   */
  private valueProduct(z: Float64Array, groups: number, count: number, out: Float64Array, outBase: number): void {
    const d = this.d;
    const HD = this.heads * d;
    const V = this.valueConcat;
    for (let jb = 0; jb < HD; jb += COLUMN_BLOCK) {
      const je = Math.min(HD, jb + COLUMN_BLOCK);
      for (let g = 0; g < groups; g++) {
        const zb = g * HD * TILE;
        const o = outBase + g * TILE * d;
        const live = Math.min(TILE, count - g * TILE);
        let k = 0;
        for (; k + 1 < d; k += 2) {
          const r0 = k * HD;
          const r1 = r0 + HD;
          let a0 = 0,
            a1 = 0,
            a2 = 0,
            a3 = 0,
            b0 = 0,
            b1 = 0,
            b2 = 0,
            b3 = 0;
          for (let j = jb; j < je; j++) {
            const v = V[r0 + j];
            const w = V[r1 + j];
            const zj = zb + j * TILE;
            const z0 = z[zj],
              z1 = z[zj + 1],
              z2 = z[zj + 2],
              z3 = z[zj + 3];
            a0 += v * z0;
            a1 += v * z1;
            a2 += v * z2;
            a3 += v * z3;
            b0 += w * z0;
            b1 += w * z1;
            b2 += w * z2;
            b3 += w * z3;
          }
          out[o + k] += a0;
          out[o + k + 1] += b0;
          if (live > 1) {
            out[o + d + k] += a1;
            out[o + d + k + 1] += b1;
          }
          if (live > 2) {
            out[o + 2 * d + k] += a2;
            out[o + 2 * d + k + 1] += b2;
          }
          if (live > 3) {
            out[o + 3 * d + k] += a3;
            out[o + 3 * d + k + 1] += b3;
          }
        }
        if (k < d) {
          const r0 = k * HD;
          let a0 = 0,
            a1 = 0,
            a2 = 0,
            a3 = 0;
          for (let j = jb; j < je; j++) {
            const v = V[r0 + j];
            const zj = zb + j * TILE;
            a0 += v * z[zj];
            a1 += v * z[zj + 1];
            a2 += v * z[zj + 2];
            a3 += v * z[zj + 3];
          }
          out[o + k] += a0;
          if (live > 1) out[o + d + k] += a1;
          if (live > 2) out[o + 2 * d + k] += a2;
          if (live > 3) out[o + 3 * d + k] += a3;
        }
      }
    }
  }
}

/**
 * Whether the scores of a factored head (r < d/2) are summed as Σ_c p_c⟨K_hᵀ row c, x_i⟩ (few
 * points: contiguous dot products) rather than through u = K_h p (many points).
 */
const fewPoints = (r: number, n: number) => r * n <= 2 * (r + n);

/** Transpose of a rows×cols row-major matrix. */
function transpose(a: Float64Array, rows: number, cols: number): Float64Array {
  const t = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = a[i * cols + j];
  return t;
}

function scoreMatrix(head: HeadWeights, d: number, r: number): Float64Array {
  // M = K Qᵀ, so that the score vector is u = M y and s_i = ⟨u, x_i⟩ = yᵀ Q Kᵀ x_i.
  const M = new Float64Array(d * d);
  for (let k = 0; k < d; k++) {
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let c = 0; c < r; c++) s += head.K[k * r + c] * head.Q[j * r + c];
      M[k * d + j] = s;
    }
  }
  return M;
}

/** In place: scores[0..n) → attention weights. Softmax subtracts the maximum, so β = 1e6 is finite. */
export function normalise(scores: Float64Array, n: number, how: Normalisation): void {
  normaliseAt(scores, 0, n, how);
}

/** normalise on scores[o .. o+n). */
function normaliseAt(scores: Float64Array, o: number, n: number, how: Normalisation): void {
  let arg = 0;
  let max = scores[o];
  for (let i = 1; i < n; i++) {
    if (scores[o + i] > max) {
      max = scores[o + i];
      arg = i;
    }
  }
  if (how === 'hardmax' || max === Infinity) {
    // Lowest index among the maxima, matching the targets' tie-breaking.
    for (let i = 0; i < n; i++) scores[o + i] = i === arg ? 1 : 0;
    return;
  }
  if (Number.isNaN(max)) throw new RangeError('attention score is NaN');
  if (max === -Infinity) {
    // Every score is −∞: all are equal, so weigh them equally.
    for (let i = 0; i < n; i++) scores[o + i] = 1 / n;
    return;
  }
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const w = Math.exp(scores[o + i] - max);
    scores[o + i] = w;
    sum += w;
  }
  const inv = 1 / sum;
  for (let i = 0; i < n; i++) scores[o + i] *= inv;
}

/** Per-sample squared error ‖f − x_target‖², averaged over each sample's m queries. */
export function squaredErrors(
  outputs: Float64Array,
  X: Float64Array,
  target: Int32Array,
  size: number,
  n: number,
  m: number,
  d: number,
): Float64Array {
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
