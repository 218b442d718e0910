/**
 * The fused trainer's FloatSpace: float32 arrays in one WebAssembly memory, sized by a counting
 * pass (inFloat32Space), with the SIMD kernels of wasm/products.wat, attention.wat and
 * elementwise.wat, and large products split over helper threads when asked.
 */
import type { FloatArray, FloatSpace } from './float-space.js';
import { controlBytes, ProductThreads } from './product-threads.js';
import type { ProductKernels } from './product-slots.js';
import { instantiateOn, newMemory } from './wasm-module.js';
import { ATTENTION_SHARED_WASM_BASE64, ATTENTION_WASM_BASE64 } from './wasm/attention.generated.js';
import { ELEMENTWISE_SHARED_WASM_BASE64, ELEMENTWISE_WASM_BASE64 } from './wasm/elementwise.generated.js';
import { PRODUCTS_SHARED_WASM_BASE64, PRODUCTS_WASM_BASE64 } from './wasm/products.generated.js';

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
