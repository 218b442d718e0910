/**
 * Exact float64 multi-head attention, batched over samples on typed arrays.
 *
 * Head h has Q_h, K_h ∈ R^{d×r} and V_h ∈ R^{d×d} (row-major). For a query y and context
 * x_1..x_n the layer outputs Σ_h V_h Σ_i a_{h,i} x_i, where a_h = softmax or hardmax of the
 * scores s_{h,i} = yᵀ Q_h K_hᵀ x_i, or, for a generalized head, of a caller-supplied score of
 * (Q_hᵀ y, x_i, i): the class the paper's lower bounds cover.
 *
 * This is the front; the arithmetic is in a kernel set behind kernels/kernel-set.ts, chosen per
 * layer (evaluator.ts), with the TypeScript kernels taking the calls the chosen set cannot run.
 */
import type { AttentionShape, AttentionSpec, HeadWeights, Normalisation } from './attention-spec.js';
import type { Evaluator, LayerKernels, LayerStructures } from './kernels/kernel-set.js';
import { TS_KERNELS } from './kernels/ts-kernels.js';
import { kernelSet } from './evaluator.js';

export type { AttentionShape, AttentionSpec, HeadWeights, Normalisation, ScoreFunction } from './attention-spec.js';

export interface AttentionOptions {
  /** The kernel set; default: the thread's choice (useEvaluator), 'wasm-simd' unless set otherwise. */
  evaluator?: Evaluator;
}

/** A multi-head attention layer with precomputed evaluation structures; immutable. */
export class MultiHeadAttention {
  readonly d: number;
  readonly r: number;
  readonly heads: number;
  readonly normalisation: Normalisation;
  readonly spec: AttentionSpec;
  /** The kernels this layer runs: 'wasm-simd' when asked for and the engine has WebAssembly SIMD, else 'ts'. */
  readonly evaluator: Evaluator;
  private readonly structures: LayerStructures;
  private readonly kernels: LayerKernels;
  /** The TypeScript kernels, for the calls the chosen set cannot run (made on the first such call). */
  private reference: LayerKernels | null;

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
    this.structures = layerStructures(spec);
    const set = kernelSet(options.evaluator);
    this.evaluator = set.evaluator;
    this.kernels = set.forLayer(this.structures);
    this.reference = set === TS_KERNELS ? this.kernels : null;
  }

  /**
   * Evaluates the layer on shape.size samples with n context points (X: size×n×d) and m queries
   * each (Yq: size×m×d; for self-attention pass Yq = X and m = n). Returns size×m×d outputs.
   */
  evaluate(X: Float64Array, Yq: Float64Array, shape: AttentionShape, out?: Float64Array): Float64Array {
    const { size, n, m } = shape;
    const { d } = this;
    if (X.length < size * n * d || Yq.length < size * m * d)
      throw new RangeError('evaluate: input arrays are too short');
    const result = out ?? new Float64Array(size * m * d);
    if (!this.kernels.evaluate(X, Yq, shape, result)) {
      this.reference ??= TS_KERNELS.forLayer(this.structures);
      this.reference.evaluate(X, Yq, shape, result);
    }
    return result;
  }
}

/** The structures the kernels read, precomputed from the spec once per layer. */
function layerStructures(spec: AttentionSpec): LayerStructures {
  const { d, r, heads } = spec;
  const H = heads.length;
  const valueConcat = new Float64Array(d * H * d);
  for (let h = 0; h < H; h++) {
    for (let k = 0; k < d; k++) {
      for (let j = 0; j < d; j++) valueConcat[k * H * d + h * d + j] = heads[h].V[k * d + j];
    }
  }
  return {
    d,
    r,
    heads: H,
    normalisation: spec.normalisation,
    spec,
    // The factored score costs 2dr per query, the product form d²; pick the cheaper.
    scoreMatrices: heads.map((h) => (h.score || 2 * r < d ? null : scoreMatrix(h, d, r))),
    queryT: heads.map((h) => transpose(h.Q, d, r)),
    keyT: heads.map((h) => transpose(h.K, d, r)),
    valueConcat,
  };
}

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
