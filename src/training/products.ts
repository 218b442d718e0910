/**
 * The two products of a linear layer's gradient, xᵀ·dy (the weight gradient) and 1ᵀ·dy (the bias
 * gradient), for row-major x [T, k] and dy [T, n]. On the wasm backend they run as kernels of our
 * own (wasm/products.wat) on tfjs's memory in place; elsewhere as tfjs matMuls. On wasm, tfjs's
 * matMul needs x (or dy) transposed first and XNNPACK repacks its right operand on every call: for
 * the paper's MLP (T = 4096, n = 2048) the weight gradient ran at a third of the speed of the
 * forward products and the bias gradient, an [1, 4096]·[4096, 2048] product, at a hundredth.
 * Both kernels sum over t in XNNPACK's order, so every bit of the training is unchanged
 * (test/training/products.test.ts compares them with tfjs's matMul on the same tensors).
 */
import * as tf from '@tensorflow/tfjs';
import type { ProductKernels } from './product-slots.js';
import { PRODUCTS_SHARED_WASM_BASE64, PRODUCTS_WASM_BASE64 } from './wasm/products.generated.js';
import { instantiateOn } from './wasm-module.js';

/** The part of tfjs's wasm backend the kernels use: its Emscripten module and its tensor table. */
interface WasmBackendInternals {
  wasm: { wasmMemory?: { buffer: ArrayBufferLike }; asm?: { memory?: { buffer: ArrayBufferLike } } };
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
}

const TRANSPOSED_PRODUCT = 'RankcheckTransposedProduct';
const COLUMN_SUMS = 'RankcheckColumnSums';

/** Our kernels bound to each wasm backend's memory (one per thread; a backend is created once). */
const instances = new WeakMap<object, ProductKernels>();

function kernelsOf(backend: WasmBackendInternals): ProductKernels {
  let k = instances.get(backend);
  if (k === undefined) {
    const memory = backend.wasm.wasmMemory ?? backend.wasm.asm?.memory;
    if (memory === undefined) throw new Error('the tfjs wasm backend exposes no memory');
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    k = instantiateOn(shared ? PRODUCTS_SHARED_WASM_BASE64 : PRODUCTS_WASM_BASE64, memory) as ProductKernels;
    instances.set(backend, k);
  }
  return k;
}

const offset = (b: WasmBackendInternals, t: tf.TensorInfo) => b.dataIdMap.get(t.dataId).memoryOffset;

let registered = false;

/** Registers the two kernels with tfjs for the wasm backend (once per thread). */
function register(): void {
  if (registered) return;
  registered = true;
  tf.registerKernel({
    kernelName: TRANSPOSED_PRODUCT,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const b = backend as unknown as WasmBackendInternals;
      const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const [T, k] = x.shape;
      const n = dy.shape[1];
      const out = b.makeOutput([k, n], 'float32');
      kernelsOf(b).transposedProduct(offset(b, x), offset(b, dy), offset(b, out), T, k, n);
      return out;
    },
  });
  tf.registerKernel({
    kernelName: COLUMN_SUMS,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const b = backend as unknown as WasmBackendInternals;
      const { dy } = inputs as { dy: tf.TensorInfo };
      const [T, n] = dy.shape;
      const out = b.makeOutput([n], 'float32');
      kernelsOf(b).columnSums(offset(b, dy), offset(b, out), T, n);
      return out;
    },
  });
}

const onWasm = () => tf.getBackend() === 'wasm';

/** How a caller computed xᵀ·dy with tfjs's matMul before the wasm kernel: kept off wasm, bit for bit. */
export type MatMulRoute = (x: tf.Tensor2D, dy: tf.Tensor2D) => tf.Tensor2D;

/** xᵀ·dy or (dyᵀ·x)ᵀ, whichever transposes fewer numbers (tfjs-wasm multiplies a transposed operand ten times slower). */
export const fewerTransposed: MatMulRoute = (x, dy) => {
  const [rows, k] = x.shape;
  const n = dy.shape[1];
  return rows * k <= rows * n + k * n ? tf.matMul(tf.transpose(x), dy) : tf.transpose(tf.matMul(tf.transpose(dy), x));
};

/** xᵀ·dy with x transposed explicitly. */
export const leftTransposed: MatMulRoute = (x, dy) => tf.matMul(tf.transpose(x), dy);

/** xᵀ·dy [k, n] for x [T, k], dy [T, n] (float32): our kernel on wasm, `route` elsewhere. */
export function transposedProduct(x: tf.Tensor2D, dy: tf.Tensor2D, route: MatMulRoute = fewerTransposed): tf.Tensor2D {
  if (!onWasm()) return route(x, dy);
  register();
  return tf.engine().runKernel(TRANSPOSED_PRODUCT, { x, dy }, {}) as tf.Tensor2D;
}

/** 1ᵀ·dy [n] for dy [T, n] (float32): the bias gradient, as tfjs's matMul of a row of ones off wasm. */
export function columnSums(dy: tf.Tensor2D): tf.Tensor1D {
  if (onWasm()) {
    register();
    return tf.engine().runKernel(COLUMN_SUMS, { dy }, {}) as tf.Tensor1D;
  }
  const [rows, n] = dy.shape;
  return tf.reshape(tf.matMul(tf.ones([1, rows]), dy), [n]);
}
