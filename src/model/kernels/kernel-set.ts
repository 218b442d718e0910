/**
 * The one interface behind which the float64 attention layer (attention.ts) runs either of its
 * two kernel sets, the TypeScript reference (ts-kernels.ts) or the WebAssembly SIMD kernels
 * (wasm-kernels.ts), and the blocking and score-path rules both follow, which is what makes their
 * outputs bit-identical: the same operations in the same order, whichever set runs.
 */
import type { AttentionShape, AttentionSpec, Normalisation } from '../attention-spec.js';

/** Which kernel set computes a layer: 'wasm-simd' (src/model/wasm/kernels.wat) or 'ts', the reference. */
export type Evaluator = 'wasm-simd' | 'ts';

/** What a layer precomputes from its spec for the kernels; read-only to them. */
export interface LayerStructures {
  readonly d: number;
  readonly r: number;
  /** Number of heads H. */
  readonly heads: number;
  readonly normalisation: Normalisation;
  readonly spec: AttentionSpec;
  /** Per head: K_h Q_hᵀ (d×d) when that is cheaper than the factored form, else null. */
  readonly scoreMatrices: readonly (Float64Array | null)[];
  /** Per head: Q_hᵀ and K_hᵀ (r×d), so that both factored steps run over contiguous rows. */
  readonly queryT: readonly Float64Array[];
  readonly keyT: readonly Float64Array[];
  /** [V_1 … V_H]: d × (H·d), so the value step of all heads is one matrix product. */
  readonly valueConcat: Float64Array;
}

/** One layer's use of a kernel set, with whatever buffers or memory it keeps between calls. */
export interface LayerKernels {
  /**
   * Writes the layer's size×m×d outputs on contexts X (size×n×d) and queries Yq (size×m×d) into
   * result; false, with nothing written, when this call cannot run here and the TypeScript
   * kernels must run it instead.
   */
  evaluate(X: Float64Array, Yq: Float64Array, shape: AttentionShape, result: Float64Array): boolean;
}

export interface KernelSet {
  readonly evaluator: Evaluator;
  /** The kernels' state for one layer, made once when the layer is. */
  forLayer(layer: LayerStructures): LayerKernels;
}

/** Instances per register tile of the value product (both kernels are written for 4). */
export const TILE = 4;
/** Instances per block: their weighted contexts z are computed, then multiplied by [V_1 … V_H] together. */
export const BLOCK = 64;

/**
 * Whether the scores of a factored head (r < d/2) are summed as Σ_c p_c⟨K_hᵀ row c, x_i⟩ (few
 * points: contiguous dot products) rather than through u = K_h p (many points).
 */
export const fewPoints = (r: number, n: number) => r * n <= 2 * (r + n);
