/**
 * The TypeScript reference kernels of the float64 attention layer: per block of BLOCK instances,
 * the weighted contexts z_h = Σ_i a_{h,i} x_i of every head (scores, normalisation, sum), then
 * the value product [V_1 … V_H] z over the block. The WebAssembly kernels perform exactly these
 * operations in this order.
 */
import { dot } from '../../core/vector.js';
import type { AttentionShape } from '../attention-spec.js';
import { normalise } from '../normalise.js';
import { BLOCK, fewPoints, TILE, type KernelSet, type LayerKernels, type LayerStructures } from './kernel-set.js';

/** Columns of [V_1 … V_H] per cache block (64 rows × 256 columns × 8 B = 128 KiB, an L2's share; kernels.wat uses the same). */
const COLUMN_BLOCK = 256;

interface Scratch {
  p: Float64Array;
  u: Float64Array;
  scores: Float64Array;
  z: Float64Array;
}

/** p = Q_hᵀy for head h and the query at Y[yOff .. yOff+d) (both kernel sets use it for generalized heads). */
export function queryProduct(layer: LayerStructures, h: number, Y: Float64Array, yOff: number, p: Float64Array): void {
  const { d } = layer;
  const QT = layer.queryT[h];
  for (let c = 0; c < layer.r; c++) p[c] = dot(QT, c * d, Y, yOff, d);
}

class TsLayerKernels implements LayerKernels {
  private scratch: Scratch | null = null;

  constructor(private readonly layer: LayerStructures) {}

  evaluate(X: Float64Array, Yq: Float64Array, shape: AttentionShape, result: Float64Array): boolean {
    const { size, n, m } = shape;
    const { d } = this.layer;
    const HD = this.layer.heads * d;
    const scratch = this.scratchFor(n);
    const z = scratch.z;
    const instances = size * m;
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
    return true;
  }

  /** Work buffers, kept between calls (evaluation is synchronous, so one set per layer suffices). */
  private scratchFor(n: number): Scratch {
    if (!this.scratch || this.scratch.scores.length < n) {
      this.scratch = {
        p: new Float64Array(this.layer.r),
        u: new Float64Array(this.layer.d),
        scores: new Float64Array(n),
        // z for a block of instances, interleaved by groups of TILE: z[g·HD·TILE + j·TILE + t].
        z: new Float64Array(BLOCK * this.layer.heads * this.layer.d),
      };
    }
    return this.scratch;
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
    scratch: Scratch,
  ): void {
    const layer = this.layer;
    const { d, r } = layer;
    const { p, u, scores } = scratch;
    for (let h = 0; h < layer.heads; h++) {
      const head = layer.spec.heads[h];
      const M = layer.scoreMatrices[h];
      if (head.score || !M) {
        queryProduct(layer, h, Y, yOff, p);
      }
      if (head.score) {
        for (let i = 0; i < n; i++) scores[i] = head.score(p, X, xBase + i * d, i);
      } else {
        if (M) {
          for (let k = 0; k < d; k++) u[k] = dot(M, k * d, Y, yOff, d);
          for (let i = 0; i < n; i++) scores[i] = dot(u, 0, X, xBase + i * d, d);
        } else if (fewPoints(r, n)) {
          // Few points: s_i = Σ_c p_c ⟨K_hᵀ row c, x_i⟩, all contiguous dot products.
          const KT = layer.keyT[h];
          for (let i = 0; i < n; i++) {
            let s = 0;
            for (let c = 0; c < r; c++) s += p[c] * dot(KT, c * d, X, xBase + i * d, d);
            scores[i] = s;
          }
        } else {
          // Many points: u = K_h p once (a sum of K_h's columns), then s_i = ⟨u, x_i⟩.
          const KT = layer.keyT[h];
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
      normalise(scores, n, layer.normalisation);
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
    const d = this.layer.d;
    const HD = this.layer.heads * d;
    const V = this.layer.valueConcat;
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

/** The TypeScript reference kernels: they run everywhere, and every call. */
export const TS_KERNELS: KernelSet = {
  evaluator: 'ts',
  forLayer: (layer) => new TsLayerKernels(layer),
};
