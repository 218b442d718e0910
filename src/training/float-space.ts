/**
 * Where the fused trainer keeps its arrays and how it computes on them, as one interface with two
 * implementations: float32 arrays in one WebAssembly memory with the SIMD kernels of
 * wasm/products.wat, attention.wat and elementwise.wat (float32-space.ts: the trainer), and plain
 * float64 arrays and loops (float64-space.ts: the reference its gradients are tested against, by
 * central differences). The trainer's other arithmetic is written once, over either.
 */
export type FloatArray = Float32Array | Float64Array;

/**
 * The heads of a batch: B sequences of N tokens, G heads of rank r, D = G·r; token t of sequence
 * b is row b·N + t of a [B·N, D] array, head g its columns g·r … g·r + r − 1.
 */
export interface Heads {
  B: number;
  G: number;
  N: number;
  r: number;
  D: number;
  /** The scores' factor (1/√r). */
  scale: number;
}

/**
 * The search's attention (one query per sequence against its N keys): B sequences, H heads of
 * rank r, inputs of d coordinates. See queryAttention.
 */
export interface QueryHeads {
  B: number;
  H: number;
  N: number;
  r: number;
  d: number;
}

/** Arrays of one precision, the three products of a dense layer's forward and backward pass, and attention. */
export interface FloatSpace {
  readonly precision: 'float32' | 'float64';
  /** A zeroed array of `length` numbers belonging to this space. */
  array(length: number): FloatArray;
  /** out[m·n] = a[m·k]·b[k·n], or out += a·b when `accumulate` (row-major). */
  product(a: FloatArray, b: FloatArray, out: FloatArray, m: number, k: number, n: number, accumulate: boolean): void;
  /** out[k·n] = x[T·k]ᵀ·dy[T·n] (row-major): a weight gradient. */
  transposedProduct(x: FloatArray, dy: FloatArray, out: FloatArray, T: number, k: number, n: number): void;
  /** out[n] = Σ_t dy[t·n + ·]: a bias gradient. */
  columnSums(dy: FloatArray, out: FloatArray, T: number, n: number): void;
  /** out[t·n + j] += b[j] for t < rows, j < n: a bias. */
  addRows(out: FloatArray, b: FloatArray, rows: number, n: number): void;
  /** out[i] = x[i] + s·y[i] for i < len (out may be x or y): a residual sum. */
  addScaled(out: FloatArray, x: FloatArray, y: FloatArray, s: number, len: number): void;
  /** out[i] = s·x[i] for i < len (out may be x). */
  scale(out: FloatArray, x: FloatArray, s: number, len: number): void;
  /** out[i] = max(pre[i], 0) for i < len. */
  relu(pre: FloatArray, out: FloatArray, len: number): void;
  /** d[i] = 0 where pre[i] ≤ 0 (i < len): relu's backward pass. */
  reluMask(pre: FloatArray, d: FloatArray, len: number): void;
  /** ScaleNorm of each row of y [rows, W] with gain g into out (may be y); keeps the direction ŷ and 1/‖y‖ per row. */
  scaleNorm(
    y: FloatArray,
    rows: number,
    W: number,
    g: number,
    yHat: FloatArray,
    inv: FloatArray,
    out: FloatArray,
  ): void;
  /** Its backward pass: dout ← (g/‖y‖)(dout − ŷ⟨ŷ, dout⟩) per row; returns ∂loss/∂g = Σ⟨dout, ŷ⟩. */
  scaleNormBackward(dout: FloatArray, rows: number, W: number, g: number, yHat: FloatArray, inv: FloatArray): number;
  /**
   * Softmax attention of every head: weights A [B, G, N, N] and outputs z [B·N, D] (overwritten);
   * scratch: attentionScratch(N, r) numbers.
   */
  attention(
    q: FloatArray,
    k: FloatArray,
    v: FloatArray,
    A: FloatArray,
    z: FloatArray,
    scratch: FloatArray,
    h: Heads,
  ): void;
  /** Its backward pass from dZ: dQ, dK, dV [B·N, D] (overwritten); scratch as for attention. */
  attentionBackward(
    q: FloatArray,
    k: FloatArray,
    v: FloatArray,
    A: FloatArray,
    dZ: FloatArray,
    dQ: FloatArray,
    dK: FloatArray,
    dV: FloatArray,
    scratch: FloatArray,
    h: Heads,
  ): void;
  /**
   * One query per sequence against its keys, every head (Hr = H·r): from P [B, Hr], Kx [B·N, Hr],
   * bias [H, N] (or none) and X [B·N, d], the weights A [B, H, N] = softmax_i(⟨P_h, Kx_{i,h}⟩ +
   * bias_{h,i}) and Z [B, H·d], Z_h = Σ_i A_{h,i}·x_i (both overwritten); scratch: queryAttentionScratch(H, N).
   */
  queryAttention(
    P: FloatArray,
    Kx: FloatArray,
    bias: FloatArray | null,
    X: FloatArray,
    A: FloatArray,
    Z: FloatArray,
    scratch: FloatArray,
    q: QueryHeads,
  ): void;
  /** Its backward pass from dZ: dP, dKx (overwritten), and ∂/∂bias added to dBias when given. */
  queryAttentionBackward(
    P: FloatArray,
    Kx: FloatArray,
    X: FloatArray,
    A: FloatArray,
    dZ: FloatArray,
    dP: FloatArray,
    dKx: FloatArray,
    dBias: FloatArray | null,
    scratch: FloatArray,
    q: QueryHeads,
  ): void;
  /** Stops the space's helper threads, if it has any (its arrays stay readable). */
  release(): void;
}

/** Numbers of scratch the attention kernels need (Np = N rounded up to 4): four transposed [r, Np] blocks, the [N, Np] weights and score gradients of a head, and one row. */
export function attentionScratch(N: number, r: number): number {
  const Np = Math.ceil(N / 4) * 4;
  return 4 * r * Np + 2 * N * Np + Np;
}

/** Numbers of scratch the query-attention kernels need: a row of H·N scores rounded up to 4, or N of the backward pass. */
export function queryAttentionScratch(H: number, N: number): number {
  return Math.ceil((H * N) / 4) * 4 + N;
}
