/**
 * Where the fused trainer keeps its arrays and how it multiplies them: float32 arrays in one
 * WebAssembly memory, multiplied by the SIMD kernels of wasm/products.wat (the trainer), or plain
 * float64 arrays multiplied by loops (the reference its gradients are tested against, by central
 * differences). The trainer's arithmetic outside the products is written once, over either.
 */
import { PRODUCTS_WASM_BASE64 } from './wasm/products.generated.js';

/** A float array of either precision. */
export type FloatArray = Float32Array | Float64Array;

/** Arrays of one precision and the three products of a dense layer's forward and backward pass. */
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
  };
}

// The lib settings (ES2022, node types) do not declare WebAssembly; the part used here:
declare const WebAssembly: {
  Memory: new (d: { initial: number }) => { buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (
    module: object,
    imports: Record<string, Record<string, unknown>>,
  ) => { exports: Record<string, unknown> };
};

interface ProductKernels {
  product(a: number, b: number, out: number, m: number, k: number, n: number, accumulate: number): void;
  transposedProduct(x: number, dy: number, out: number, T: number, k: number, n: number): void;
  columnSums(dy: number, out: number, T: number, n: number): void;
}

const PAGE = 65536;
/** Arrays start on 16-byte boundaries (one SIMD vector). */
const ALIGN = 16;

/**
 * A float32 space of `floats` numbers in one WebAssembly memory with the products.wat kernels.
 * The memory never grows (growing would detach every array handed out), so its size is fixed here.
 */
function float32Space(floats: number): FloatSpace {
  const bytes = floats * 4 + ALIGN;
  const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / PAGE)) });
  const module = new WebAssembly.Module(Buffer.from(PRODUCTS_WASM_BASE64, 'base64'));
  const k = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as ProductKernels;
  const buffer = memory.buffer;
  let next = 0;
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
    product: (a, b, out, m, kk, n, accumulate) => k.product(at(a), at(b), at(out), m, kk, n, accumulate ? 1 : 0),
    transposedProduct: (x, dy, out, T, kk, n) => k.transposedProduct(at(x), at(dy), at(out), T, kk, n),
    columnSums: (dy, out, T, n) => k.columnSums(at(dy), at(out), T, n),
  };
}

/**
 * Builds `make` over a float32 WebAssembly space just large enough for it: `make` runs twice,
 * first against a space that only counts what it asks for (its arrays are empty and its
 * products refuse to run), so `make` must allocate and not compute.
 */
export function inFloat32Space<T>(make: (space: FloatSpace) => T): T {
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
  });
  return make(float32Space(floats));
}
