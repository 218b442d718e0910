/**
 * The WebAssembly SIMD kernels of the float64 attention layer (src/model/wasm/kernels.wat, loaded
 * by wasm-instance.ts) and each layer's part of their memory. Per block, three calls into wasm
 * perform the operations of the TypeScript kernels (ts-kernels.ts) in the same order; the
 * normalisation (it needs exp) and generalized heads' score functions run in TypeScript between them.
 */
import type { AttentionShape, ScoreFunction } from '../attention-spec.js';
import { normaliseAt } from '../normalise.js';
import { BLOCK, fewPoints, TILE, type KernelSet, type LayerKernels, type LayerStructures } from './kernel-set.js';
import { queryProduct } from './ts-kernels.js';
import { wasmInstance, type Region, type WasmInstance } from './wasm-instance.js';

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

class WasmLayerKernels implements LayerKernels {
  private memory: WasmViews | null = null;
  /** Scratch p = Q_hᵀy of the generalized heads' scores. */
  private readonly p: Float64Array;

  constructor(
    private readonly kernels: WasmInstance,
    private readonly layer: LayerStructures,
  ) {
    this.p = new Float64Array(layer.r);
  }

  evaluate(X: Float64Array, Yq: Float64Array, shape: AttentionShape, result: Float64Array): boolean {
    const { size, n, m } = shape;
    if (size === 0 || n === 0) return false;
    // A block of BLOCK instances spans at most this many samples' contexts.
    const samples = Math.min(size, m === 1 ? BLOCK : Math.floor((m + BLOCK - 2) / m) + 1);
    const wasm = this.views(n, samples * n * this.layer.d);
    if (!wasm) return false;
    this.kernels.depth++;
    try {
      this.evaluateBlocks(X, Yq, n, m, size * m, result, wasm);
    } finally {
      this.kernels.depth--;
    }
    return true;
  }

  /**
   * The layer's region of the kernel memory, allocated (and V copied in) on first use and again
   * after the allocator has reused the memory; null when the TypeScript kernels must run instead.
   */
  private views(n: number, contexts: number): WasmViews | null {
    const { kernels, layer } = this;
    const { d, r } = layer;
    const H = layer.heads;
    const HD = H * d;
    let w = this.memory;
    if (!w || !kernels.valid(w.region) || w.points < n || w.contexts < contexts) {
      // Room for at least the previous sizes, so that alternating calls do not reallocate.
      const points = Math.max(n, w?.points ?? 0);
      contexts = Math.max(contexts, w?.contexts ?? 0);
      const queryMatrices = layer.scoreMatrices.map((M, h) => M ?? layer.queryT[h]);
      const keyMatrices = layer.scoreMatrices.map((M, h) => (M || layer.spec.heads[h].score ? null : layer.keyT[h]));
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
      new Float64Array(kernels.buffer, vOffset, d * HD).set(layer.valueConcat);
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
      this.memory = w;
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
   * Per block: the block's queries and contexts are copied into the kernel memory, blockScores computes the ordinary heads' scores of all its instances (the
   * generalized heads' are computed here), normaliseAt turns each instance's and head's n scores
   * into weights, blockContexts writes z and valueProduct multiplies it by [V_1 … V_H]: three
   * calls into wasm per block, with the operations of the TypeScript kernels' weightedContexts and valueProduct.
   */
  private evaluateBlocks(
    X: Float64Array,
    Yq: Float64Array,
    n: number,
    m: number,
    instances: number,
    result: Float64Array,
    wasm: WasmViews,
  ): void {
    const { kernels, layer } = this;
    const { d, r } = layer;
    const H = layer.heads;
    const HD = H * d;
    const { z, scores } = wasm;
    const few = fewPoints(r, n);
    const generalized: number[] = [];
    for (let h = 0; h < H; h++) {
      const head = layer.spec.heads[h];
      if (head.score) generalized.push(h);
      wasm.table[3 * h] = head.score ? 3 : layer.scoreMatrices[h] ? 0 : few ? 1 : 2;
    }
    const p = this.p;
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
          const score = layer.spec.heads[h].score as ScoreFunction;
          queryProduct(layer, h, Yq, inst * d, p);
          const xBase = Math.floor(inst / m) * n * d;
          const o = (t * H + h) * n;
          for (let i = 0; i < n; i++) scores[o + i] = score(p, X, xBase + i * d, i);
        }
        for (let h = 0; h < H; h++) normaliseAt(scores, (t * H + h) * n, n, layer.normalisation);
      }
      if (count % TILE !== 0) z.fill(0, (groups - 1) * HD * TILE, groups * HD * TILE);
      k.blockContexts(wasm.scoresOffset, wasm.xOffset, wasm.zOffset, H, count, m, phase, n, d);
      wasm.out.fill(0, 0, groups * TILE * d);
      k.valueProduct(wasm.vOffset, wasm.zOffset, wasm.outOffset, d, HD, groups);
      result.set(wasm.out.subarray(0, count * d), start * d);
    }
  }
}

let set: KernelSet | null | undefined;

/** The WebAssembly SIMD kernel set, or null when this engine cannot run it. */
export function wasmKernelSet(): KernelSet | null {
  if (set === undefined) {
    const kernels = wasmInstance();
    set = kernels && { evaluator: 'wasm-simd', forLayer: (layer) => new WasmLayerKernels(kernels, layer) };
  }
  return set;
}
