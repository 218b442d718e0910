/**
 * The search's rank-r attention layer (trainable-attention.ts: plain, bias and positional) with its
 * forward and backward pass written out over a FloatSpace, for the fused trainer: one query per
 * sequence against N keys, scores ⟨Q_hᵀy, K_hᵀ(x_i + p_i)⟩ + bias_{h,i}, values V_h x_i. The
 * products and the per-head softmax run in the space's kernels (WebAssembly SIMD in float32); in
 * the float64 space, by loops: the reference that central differences test.
 */
import { queryAttentionScratch, type FloatArray, type FloatSpace, type QueryHeads } from '../training/float-space.js';
import type { ExportedWeights, ModelShape } from './attention-weights.js';

/** The layer's parameters (or their gradients) in trainable-attention.ts's layouts. */
export interface AttentionParams {
  /** [H, d, r] */
  Q: FloatArray;
  K: FloatArray;
  /** [H, d, d] */
  V: FloatArray;
  /** [H, N] ('bias' only) */
  bias: FloatArray | null;
  /** [N, d] ('positional' only) */
  positions: FloatArray | null;
}

function paramsOf(s: ModelShape, space: FloatSpace): AttentionParams {
  const { d, r, heads: H, n } = s;
  return {
    Q: space.array(H * d * r),
    K: space.array(H * d * r),
    V: space.array(H * d * d),
    bias: s.variant === 'bias' ? space.array(H * n) : null,
    positions: s.variant === 'positional' ? space.array(n * d) : null,
  };
}

/** Every array of `p` in a fixed order (trainable-attention.ts's variables'). */
export function attentionArrays(p: AttentionParams): FloatArray[] {
  return [p.Q, p.K, p.V, ...(p.bias ? [p.bias] : []), ...(p.positions ? [p.positions] : [])];
}

/** out[j·(H·r) + h·r + c] = W[h·d·r + j·r + c]: the heads' [d, r] blocks side by side, [d, H·r]. */
function sideBySide(W: FloatArray, H: number, d: number, r: number, out: FloatArray): void {
  for (let h = 0; h < H; h++)
    for (let j = 0; j < d; j++) for (let c = 0; c < r; c++) out[j * H * r + h * r + c] = W[h * d * r + j * r + c];
}

/** The inverse of sideBySide. */
function headBlocks(M: FloatArray, H: number, d: number, r: number, out: FloatArray): void {
  for (let h = 0; h < H; h++)
    for (let j = 0; j < d; j++) for (let c = 0; c < r; c++) out[h * d * r + j * r + c] = M[j * H * r + h * r + c];
}

/** out[n·k] = Wᵀ for W [k·n] (row-major). */
function transposeInto(W: FloatArray, k: number, n: number, out: FloatArray): void {
  for (let i = 0; i < k; i++) for (let j = 0; j < n; j++) out[j * k + i] = W[i * n + j];
}

/**
 * One layer for batches of B queries Y [B, d] and contexts X [B, N, d]: `forward` keeps what
 * `backward` needs; `backward` overwrites the gradients and, when asked, adds ∂loss/∂Y to an array.
 * The parameters change only through `params` (the optimiser updates them in place).
 */
export class FusedAttentionLayer {
  readonly params: AttentionParams;
  readonly grads: AttentionParams;
  /** Q, K side by side [d, H·r], V's heads stacked transposed [H·d, d] (Vt[h·d + k, j] = V_h[j, k]). */
  private readonly Qm: FloatArray;
  private readonly Km: FloatArray;
  private readonly Vt: FloatArray;
  /** Transposes for the backward products: Qmᵀ, Kmᵀ [H·r, d], Vtᵀ [d, H·d]. */
  private readonly QmT: FloatArray;
  private readonly KmT: FloatArray;
  private readonly VtT: FloatArray;
  /** The keys' inputs x_i + p_i [B·N, d] ('positional'; else the contexts themselves). */
  private readonly keysIn: FloatArray | null;
  /** Q_hᵀy [B, H·r], K_hᵀ(x_i + p_i) [B·N, H·r], attention weights [B, H, N], Σ_i a x_i [B, H·d]. */
  private readonly P: FloatArray;
  private readonly Kx: FloatArray;
  private readonly A: FloatArray;
  private readonly Z: FloatArray;
  readonly out: FloatArray;
  private readonly dP: FloatArray;
  private readonly dKx: FloatArray;
  private readonly dZ: FloatArray;
  private readonly dM: FloatArray;
  private readonly dVt: FloatArray;
  private readonly dKeys: FloatArray | null;
  /** The query-attention kernels' scratch, and the sizes they take. */
  private readonly scratch: FloatArray;
  private readonly heads: QueryHeads;
  /** The inputs of the last forward pass. */
  private Y: FloatArray | null = null;
  private X: FloatArray | null = null;

  /** Allocates (and only allocates: see inFloat32Space) a layer of `shape` for batches of `batch` queries. */
  constructor(
    readonly shape: ModelShape,
    readonly batch: number,
    private readonly space: FloatSpace,
  ) {
    const { d, r, heads: H, n } = shape;
    const a = (len: number) => space.array(len);
    const B = batch;
    this.params = paramsOf(shape, space);
    this.grads = paramsOf(shape, space);
    this.Qm = a(d * H * r);
    this.Km = a(d * H * r);
    this.Vt = a(H * d * d);
    this.QmT = a(d * H * r);
    this.KmT = a(d * H * r);
    this.VtT = a(H * d * d);
    const positional = shape.variant === 'positional';
    this.keysIn = positional ? a(B * n * d) : null;
    this.P = a(B * H * r);
    this.Kx = a(B * n * H * r);
    this.A = a(B * H * n);
    this.Z = a(B * H * d);
    this.out = a(B * d);
    this.dP = a(B * H * r);
    this.dKx = a(B * n * H * r);
    this.dZ = a(B * H * d);
    this.dM = a(d * H * r);
    this.dVt = a(H * d * d);
    this.dKeys = positional ? a(B * n * d) : null;
    this.scratch = a(queryAttentionScratch(H, n));
    this.heads = { B, H, N: n, r, d };
  }

  /** Sets the parameters to `w` (of this shape), rounded to the space's precision. */
  load(w: ExportedWeights): void {
    const p = this.params;
    p.Q.set(w.Q);
    p.K.set(w.K);
    p.V.set(w.V);
    if (p.bias) p.bias.set(w.bias!);
    if (p.positions) p.positions.set(w.positions!);
  }

  /** The current parameters as exported (float64) weights. */
  weights(): ExportedWeights {
    const p = this.params;
    const c = (x: FloatArray | null) => (x ? Float64Array.from(x) : null);
    return { shape: this.shape, Q: c(p.Q)!, K: c(p.K)!, V: c(p.V)!, bias: c(p.bias), positions: c(p.positions) };
  }

  /** The layer's outputs Σ_h V_h Σ_i a_{h,i} x_i [B, d] for queries Y [B, d] and contexts X [B, N, d]. */
  forward(Y: FloatArray, X: FloatArray): FloatArray {
    const { d, r, heads: H, n: N } = this.shape;
    const { space, batch: B, P, Kx, A, Z } = this;
    const p = this.params;
    const Hr = H * r;
    this.Y = Y;
    this.X = X;
    sideBySide(p.Q, H, d, r, this.Qm);
    sideBySide(p.K, H, d, r, this.Km);
    for (let h = 0; h < H; h++)
      for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) this.Vt[(h * d + k) * d + j] = p.V[h * d * d + j * d + k];
    let keys = X;
    if (this.keysIn) {
      keys = this.keysIn;
      for (let t = 0; t < B * N; t++)
        for (let j = 0; j < d; j++) keys[t * d + j] = X[t * d + j] + p.positions![(t % N) * d + j];
    }
    space.product(Y, this.Qm, P, B, d, Hr, false);
    space.product(keys, this.Km, Kx, B * N, d, Hr, false);
    space.queryAttention(P, Kx, p.bias, X, A, Z, this.scratch, this.heads);
    space.product(Z, this.Vt, this.out, B, H * d, d, false);
    return this.out;
  }

  /**
   * Backpropagates dOut = ∂loss/∂outputs [B, d] of the last forward pass into the gradients, and
   * adds ∂loss/∂Y to `dY` when given (the contexts are data: no gradient).
   */
  backward(dOut: FloatArray, dY: FloatArray | null): void {
    const { d, r, heads: H, n: N } = this.shape;
    const { space, batch: B, P, Kx, A, Z, dP, dKx, dZ } = this;
    const Y = this.Y!;
    const X = this.X!;
    const g = this.grads;
    const Hr = H * r;
    // Values: dVt = Zᵀ·dOut, dZ = dOut·Vtᵀ.
    space.transposedProduct(Z, dOut, this.dVt, B, H * d, d);
    for (let h = 0; h < H; h++)
      for (let j = 0; j < d; j++)
        for (let k = 0; k < d; k++) g.V[h * d * d + j * d + k] = this.dVt[(h * d + k) * d + j];
    transposeInto(this.Vt, H * d, d, this.VtT);
    space.product(dOut, this.VtT, dZ, B, d, H * d, false);
    if (g.bias) g.bias.fill(0);
    space.queryAttentionBackward(P, Kx, X, A, dZ, dP, dKx, g.bias, this.scratch, this.heads);
    space.transposedProduct(Y, dP, this.dM, B, d, Hr);
    headBlocks(this.dM, H, d, r, g.Q);
    const keys = this.keysIn ?? X;
    space.transposedProduct(keys, dKx, this.dM, B * N, d, Hr);
    headBlocks(this.dM, H, d, r, g.K);
    if (g.positions && this.dKeys) {
      transposeInto(this.Km, d, Hr, this.KmT);
      space.product(dKx, this.KmT, this.dKeys, B * N, Hr, d, false);
      g.positions.fill(0);
      for (let t = 0; t < B * N; t++) for (let j = 0; j < d; j++) g.positions[(t % N) * d + j] += this.dKeys[t * d + j];
    }
    if (dY) {
      transposeInto(this.Qm, d, Hr, this.QmT);
      space.product(dP, this.QmT, dY, B, Hr, d, true);
    }
  }
}

/** Σ‖out − target‖²/B over a batch [B, w], with ∂/∂out into dOut; accumulated in float64. */
export function batchSquaredError(out: FloatArray, target: FloatArray, dOut: FloatArray, B: number, w: number): number {
  let loss = 0;
  for (let k = 0; k < B * w; k++) {
    const e = out[k] - target[k];
    loss += e * e;
    dOut[k] = (2 * e) / B;
  }
  return loss / B;
}
