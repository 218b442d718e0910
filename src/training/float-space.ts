/**
 * Where the fused trainer keeps its arrays and how it computes on them: float32 arrays in one
 * WebAssembly memory, with the SIMD kernels of wasm/products.wat, attention.wat and elementwise.wat
 * (the trainer), or plain float64 arrays and loops (the reference its gradients are tested
 * against, by central differences). The trainer's other arithmetic is written once, over either.
 */
import { controlBytes, ProductThreads } from './product-threads.js';
import { SCALE_NORM_EPSILON } from './scale-norm.js';
import { instantiateOn, newMemory } from './wasm-module.js';
import type { ProductKernels } from './product-slots.js';
import { ATTENTION_SHARED_WASM_BASE64, ATTENTION_WASM_BASE64 } from './wasm/attention.generated.js';
import { ELEMENTWISE_SHARED_WASM_BASE64, ELEMENTWISE_WASM_BASE64 } from './wasm/elementwise.generated.js';
import { PRODUCTS_SHARED_WASM_BASE64, PRODUCTS_WASM_BASE64 } from './wasm/products.generated.js';

/** A float array of either precision. */
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

/** Numbers of scratch the attention kernels need: four transposed [r, Np] blocks and three rows of Np = N rounded up to 4. */
export function attentionScratch(N: number, r: number): number {
  const Np = Math.ceil(N / 4) * 4;
  return 4 * r * Np + 3 * Np;
}

/** Numbers of scratch the query-attention kernels need: a row of H·N scores rounded up to 4, or N of the backward pass. */
export function queryAttentionScratch(H: number, N: number): number {
  return Math.ceil((H * N) / 4) * 4 + N;
}

/** The elementwise and row-wise operations by loops (elementwise.wat computes the same). */
const elementwiseLoops = {
  addRows(out: FloatArray, b: FloatArray, rows: number, n: number): void {
    for (let t = 0; t < rows; t++) for (let j = 0; j < n; j++) out[t * n + j] += b[j];
  },
  addScaled(out: FloatArray, x: FloatArray, y: FloatArray, s: number, len: number): void {
    for (let i = 0; i < len; i++) out[i] = x[i] + s * y[i];
  },
  scale(out: FloatArray, x: FloatArray, s: number, len: number): void {
    for (let i = 0; i < len; i++) out[i] = s * x[i];
  },
  relu(pre: FloatArray, out: FloatArray, len: number): void {
    for (let i = 0; i < len; i++) out[i] = pre[i] > 0 ? pre[i] : 0;
  },
  reluMask(pre: FloatArray, d: FloatArray, len: number): void {
    for (let i = 0; i < len; i++) if (!(pre[i] > 0)) d[i] = 0;
  },
  scaleNorm(
    y: FloatArray,
    rows: number,
    W: number,
    g: number,
    yHat: FloatArray,
    inv: FloatArray,
    out: FloatArray,
  ): void {
    for (let t = 0; t < rows; t++) {
      let s = 0;
      for (let c = 0; c < W; c++) s += y[t * W + c] * y[t * W + c];
      const f = 1 / Math.sqrt(s + SCALE_NORM_EPSILON);
      inv[t] = f;
      for (let c = 0; c < W; c++) {
        const u = y[t * W + c] * f;
        yHat[t * W + c] = u;
        out[t * W + c] = g * u;
      }
    }
  },
  scaleNormBackward(dout: FloatArray, rows: number, W: number, g: number, yHat: FloatArray, inv: FloatArray): number {
    let dg = 0;
    for (let t = 0; t < rows; t++) {
      let p = 0;
      for (let c = 0; c < W; c++) p += dout[t * W + c] * yHat[t * W + c];
      dg += p;
      const f = g * inv[t];
      for (let c = 0; c < W; c++) dout[t * W + c] = f * (dout[t * W + c] - yHat[t * W + c] * p);
    }
    return dg;
  },
};

/** attention by loops (attention.wat computes the same, in the same order). */
function attentionLoops(
  q: FloatArray,
  k: FloatArray,
  v: FloatArray,
  A: FloatArray,
  z: FloatArray,
  _scratch: FloatArray,
  h: Heads,
): void {
  const { B, G, N, r, D, scale } = h;
  z.fill(0, 0, B * N * D);
  for (let b = 0; b < B; b++)
    for (let g = 0; g < G; g++) {
      const o = g * r;
      for (let j = 0; j < N; j++) {
        const qj = (b * N + j) * D + o;
        const a = ((b * G + g) * N + j) * N;
        let max = -Infinity;
        for (let i = 0; i < N; i++) {
          const ki = (b * N + i) * D + o;
          let dot = 0;
          for (let e = 0; e < r; e++) dot += q[qj + e] * k[ki + e];
          const sc = dot * scale;
          A[a + i] = sc;
          if (sc > max) max = sc;
        }
        let total = 0;
        for (let i = 0; i < N; i++) {
          A[a + i] = Math.exp(A[a + i] - max);
          total += A[a + i];
        }
        for (let i = 0; i < N; i++) {
          A[a + i] = A[a + i] / total;
          const w = A[a + i];
          const vi = (b * N + i) * D + o;
          for (let e = 0; e < r; e++) z[qj + e] += w * v[vi + e];
        }
      }
    }
}

/** attentionBackward by loops (attention.wat computes the same, in the same order). */
function attentionBackwardLoops(
  q: FloatArray,
  k: FloatArray,
  v: FloatArray,
  A: FloatArray,
  dZ: FloatArray,
  dQ: FloatArray,
  dK: FloatArray,
  dV: FloatArray,
  dA: FloatArray,
  h: Heads,
): void {
  // dA: the first N numbers of the scratch.
  const { B, G, N, r, D, scale } = h;
  for (const x of [dQ, dK, dV]) x.fill(0, 0, B * N * D);
  for (let b = 0; b < B; b++)
    for (let g = 0; g < G; g++) {
      const o = g * r;
      for (let j = 0; j < N; j++) {
        const qj = (b * N + j) * D + o;
        const a = ((b * G + g) * N + j) * N;
        let rho = 0;
        for (let i = 0; i < N; i++) {
          const vi = (b * N + i) * D + o;
          let dot = 0;
          for (let e = 0; e < r; e++) dot += dZ[qj + e] * v[vi + e];
          dA[i] = dot;
          const w = A[a + i];
          rho += w * dot;
          for (let e = 0; e < r; e++) dV[vi + e] += w * dZ[qj + e];
        }
        for (let i = 0; i < N; i++) {
          const dS = A[a + i] * (dA[i] - rho) * scale;
          const ki = (b * N + i) * D + o;
          for (let e = 0; e < r; e++) dQ[qj + e] += dS * k[ki + e];
          for (let e = 0; e < r; e++) dK[ki + e] += dS * q[qj + e];
        }
      }
    }
}

/** queryAttention by loops (attention.wat computes the same, in the same order but in float32). */
function queryAttentionLoops(
  P: FloatArray,
  Kx: FloatArray,
  bias: FloatArray | null,
  X: FloatArray,
  A: FloatArray,
  Z: FloatArray,
  _scratch: FloatArray,
  q: QueryHeads,
): void {
  const { B, H, N, r, d } = q;
  const Hr = H * r;
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++) {
      const a = (b * H + h) * N;
      let max = -Infinity;
      for (let i = 0; i < N; i++) {
        let s = bias ? bias[h * N + i] : 0;
        const ki = (b * N + i) * Hr + h * r;
        for (let c = 0; c < r; c++) s += P[b * Hr + h * r + c] * Kx[ki + c];
        A[a + i] = s;
        if (s > max) max = s;
      }
      let total = 0;
      for (let i = 0; i < N; i++) {
        A[a + i] = Math.exp(A[a + i] - max);
        total += A[a + i];
      }
      const z = (b * H + h) * d;
      Z.fill(0, z, z + d);
      for (let i = 0; i < N; i++) {
        A[a + i] /= total;
        const w = A[a + i];
        const xi = (b * N + i) * d;
        for (let k = 0; k < d; k++) Z[z + k] += w * X[xi + k];
      }
    }
}

/** queryAttentionBackward by loops; dA: the first N numbers of the scratch. */
function queryAttentionBackwardLoops(
  P: FloatArray,
  Kx: FloatArray,
  X: FloatArray,
  A: FloatArray,
  dZ: FloatArray,
  dP: FloatArray,
  dKx: FloatArray,
  dBias: FloatArray | null,
  dA: FloatArray,
  q: QueryHeads,
): void {
  const { B, H, N, r, d } = q;
  const Hr = H * r;
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++) {
      const a = (b * H + h) * N;
      const z = (b * H + h) * d;
      let rho = 0;
      for (let i = 0; i < N; i++) {
        let s = 0;
        const xi = (b * N + i) * d;
        for (let k = 0; k < d; k++) s += dZ[z + k] * X[xi + k];
        dA[i] = s;
        rho += A[a + i] * s;
      }
      const p = b * Hr + h * r;
      dP.fill(0, p, p + r);
      for (let i = 0; i < N; i++) {
        const ki = (b * N + i) * Hr + h * r;
        const dS = A[a + i] * (dA[i] - rho);
        if (dBias) dBias[h * N + i] += dS;
        for (let c = 0; c < r; c++) {
          dP[p + c] += dS * Kx[ki + c];
          dKx[ki + c] = dS * P[p + c];
        }
      }
    }
}

/** The float64 reference: products by plain loops (for tests; slow). */
export function float64Space(): FloatSpace {
  return {
    precision: 'float64',
    array: (length) => new Float64Array(length),
    product(a, b, out, m, k, n, accumulate) {
      if (!accumulate) out.fill(0, 0, m * n);
      for (let i = 0; i < m; i++)
        for (let t = 0; t < k; t++) {
          const s = a[i * k + t];
          for (let j = 0; j < n; j++) out[i * n + j] += s * b[t * n + j];
        }
    },
    transposedProduct(x, dy, out, T, k, n) {
      out.fill(0, 0, k * n);
      for (let t = 0; t < T; t++)
        for (let i = 0; i < k; i++) {
          const s = x[t * k + i];
          for (let j = 0; j < n; j++) out[i * n + j] += s * dy[t * n + j];
        }
    },
    columnSums(dy, out, T, n) {
      out.fill(0, 0, n);
      for (let t = 0; t < T; t++) for (let j = 0; j < n; j++) out[j] += dy[t * n + j];
    },
    ...elementwiseLoops,
    release: () => undefined,
    attention: attentionLoops,
    attentionBackward: attentionBackwardLoops,
    queryAttention: queryAttentionLoops,
    queryAttentionBackward: queryAttentionBackwardLoops,
  };
}

interface AttentionKernels {
  attention(
    q: number,
    k: number,
    v: number,
    A: number,
    z: number,
    B: number,
    G: number,
    N: number,
    r: number,
    D: number,
    scale: number,
    scratch: number,
  ): void;
  attentionBackward(
    q: number,
    k: number,
    v: number,
    A: number,
    dZ: number,
    dQ: number,
    dK: number,
    dV: number,
    B: number,
    G: number,
    N: number,
    r: number,
    D: number,
    scale: number,
    scratch: number,
  ): void;
  queryAttention(
    P: number,
    Kx: number,
    bias: number,
    hasBias: number,
    X: number,
    A: number,
    Z: number,
    B: number,
    H: number,
    N: number,
    r: number,
    d: number,
    scratch: number,
  ): void;
  queryAttentionBackward(
    P: number,
    Kx: number,
    X: number,
    A: number,
    dZ: number,
    dP: number,
    dKx: number,
    dBias: number,
    hasBias: number,
    B: number,
    H: number,
    N: number,
    r: number,
    d: number,
    scratch: number,
  ): void;
}

interface ElementwiseKernels {
  addRows(out: number, b: number, rows: number, n: number): void;
  addScaled(out: number, x: number, y: number, s: number, len: number): void;
  scale(out: number, x: number, s: number, len: number): void;
  relu(pre: number, out: number, len: number): void;
  reluMask(pre: number, d: number, len: number): void;
  scaleNorm(y: number, rows: number, W: number, g: number, yHat: number, inv: number, out: number): void;
  scaleNormBackward(dout: number, rows: number, W: number, g: number, yHat: number, inv: number): number;
}

const PAGE = 65536;
/** Arrays start on 16-byte boundaries (one SIMD vector). */
const ALIGN = 16;

/** Multiply-adds below which a product runs on the calling thread alone (a share costs a wake-up, ~10 µs). */
const SPLIT_WORK = 1 << 21;

/**
 * A float32 space of `floats` numbers in one WebAssembly memory with the products.wat kernels.
 * The memory never grows (growing would detach every array handed out), so its size is fixed here.
 * With `threads` > 1 the memory is shared and products of at least SPLIT_WORK multiply-adds are
 * split by rows over threads − 1 helper threads (product-threads.ts; same bits).
 */
function float32Space(floats: number, threads: number): FloatSpace {
  const helpers = threads - 1;
  const reserved = controlBytes(helpers);
  const pages = Math.max(1, Math.ceil((reserved + floats * 4 + ALIGN) / PAGE));
  const memory = newMemory(pages, helpers > 0);
  const instance = (plain: string, shared: string) => instantiateOn(helpers > 0 ? shared : plain, memory);
  const k = instance(PRODUCTS_WASM_BASE64, PRODUCTS_SHARED_WASM_BASE64) as unknown as ProductKernels;
  const att = instance(ATTENTION_WASM_BASE64, ATTENTION_SHARED_WASM_BASE64) as unknown as AttentionKernels;
  const el = instance(ELEMENTWISE_WASM_BASE64, ELEMENTWISE_SHARED_WASM_BASE64) as unknown as ElementwiseKernels;
  const pool = helpers > 0 ? new ProductThreads(memory, k, helpers) : null;
  const buffer = memory.buffer;
  let next = reserved;
  const at = (a: FloatArray) => {
    if (a.buffer !== buffer) throw new Error('an array of another space was passed to a float32 product');
    return a.byteOffset;
  };
  return {
    precision: 'float32',
    array(length) {
      if (next + length * 4 > buffer.byteLength)
        throw new Error(`float32 space exhausted: ${length} more numbers than the ${floats} reserved`);
      const a = new Float32Array(buffer, next, length);
      next += Math.ceil((length * 4) / ALIGN) * ALIGN;
      return a;
    },
    product: (a, b, out, m, kk, n, accumulate) =>
      (pool !== null && m * kk * n >= SPLIT_WORK ? pool : k).product(
        at(a),
        at(b),
        at(out),
        m,
        kk,
        n,
        accumulate ? 1 : 0,
      ),
    transposedProduct: (x, dy, out, T, kk, n) =>
      (pool !== null && T * kk * n >= SPLIT_WORK ? pool : k).transposedProduct(at(x), at(dy), at(out), T, kk, n),
    release: () => pool?.close(),
    columnSums: (dy, out, T, n) => k.columnSums(at(dy), at(out), T, n),
    addRows: (out, b, rows, n) => el.addRows(at(out), at(b), rows, n),
    addScaled: (out, x, y, s, len) => el.addScaled(at(out), at(x), at(y), s, len),
    scale: (out, x, s, len) => el.scale(at(out), at(x), s, len),
    relu: (pre, out, len) => el.relu(at(pre), at(out), len),
    reluMask: (pre, d, len) => el.reluMask(at(pre), at(d), len),
    scaleNorm: (y, rows, W, g, yHat, inv, out) => el.scaleNorm(at(y), rows, W, g, at(yHat), at(inv), at(out)),
    scaleNormBackward: (dout, rows, W, g, yHat, inv) => el.scaleNormBackward(at(dout), rows, W, g, at(yHat), at(inv)),
    attention: (q, kk, v, A, z, scratch, h) =>
      att.attention(at(q), at(kk), at(v), at(A), at(z), h.B, h.G, h.N, h.r, h.D, h.scale, at(scratch)),
    attentionBackward: (q, kk, v, A, dZ, dQ, dK, dV, scratch, h) =>
      att.attentionBackward(
        at(q),
        at(kk),
        at(v),
        at(A),
        at(dZ),
        at(dQ),
        at(dK),
        at(dV),
        h.B,
        h.G,
        h.N,
        h.r,
        h.D,
        h.scale,
        at(scratch),
      ),
    queryAttention: (P, Kx, bias, X, A, Z, scratch, q) =>
      att.queryAttention(
        at(P),
        at(Kx),
        bias ? at(bias) : 0,
        bias ? 1 : 0,
        at(X),
        at(A),
        at(Z),
        q.B,
        q.H,
        q.N,
        q.r,
        q.d,
        at(scratch),
      ),
    queryAttentionBackward: (P, Kx, X, A, dZ, dP, dKx, dBias, scratch, q) =>
      att.queryAttentionBackward(
        at(P),
        at(Kx),
        at(X),
        at(A),
        at(dZ),
        at(dP),
        at(dKx),
        dBias ? at(dBias) : 0,
        dBias ? 1 : 0,
        q.B,
        q.H,
        q.N,
        q.r,
        q.d,
        at(scratch),
      ),
  };
}

/**
 * Builds `make` over a float32 WebAssembly space just large enough for it, whose large products
 * run on `threads` threads (1 to 8; default 1): `make` runs twice, first against a space that only
 * counts what it asks for (its arrays are empty and its products refuse to run), so `make` must
 * allocate and not compute. With threads, release the space when done.
 */
export function inFloat32Space<T>(make: (space: FloatSpace) => T, threads = 1): T {
  if (!(Number.isInteger(threads) && threads >= 1 && threads <= 8))
    throw new RangeError(`threads must be an integer from 1 to 8, got ${threads}`);
  let floats = 0;
  const refuse = () => {
    throw new Error('a counting space cannot multiply');
  };
  make({
    precision: 'float32',
    array(length) {
      floats += Math.ceil(length / (ALIGN / 4)) * (ALIGN / 4);
      return new Float32Array(0);
    },
    product: refuse,
    transposedProduct: refuse,
    columnSums: refuse,
    addRows: refuse,
    addScaled: refuse,
    scale: refuse,
    relu: refuse,
    reluMask: refuse,
    scaleNorm: refuse,
    scaleNormBackward: refuse,
    attention: refuse,
    attentionBackward: refuse,
    queryAttention: refuse,
    queryAttentionBackward: refuse,
    release: () => undefined,
  });
  return make(float32Space(floats, threads));
}
