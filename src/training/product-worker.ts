/**
 * A helper thread of product-threads.ts: instantiates products.wat on the fused trainer's shared
 * memory, says it is ready in its control slot, then runs each share of a product posted there
 * until told to quit. Its only inputs are the memory and the slot: it computes nothing else.
 */
import { workerData } from 'node:worker_threads';
import { PRODUCTS_SHARED_WASM_BASE64 } from './wasm/products.generated.js';
import { DONE, OP, ARGS, PRODUCT, QUIT, SEQ, SLOT_INTS, type ProductKernels } from './product-slots.js';

// The lib settings (ES2022, node types) do not declare WebAssembly; the part used here:
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: unknown };
};

const { memory, control, slot } = workerData as {
  memory: { buffer: SharedArrayBuffer };
  control: number;
  slot: number;
};
const module = new WebAssembly.Module(Buffer.from(PRODUCTS_SHARED_WASM_BASE64, 'base64'));
const k = new WebAssembly.Instance(module, { env: { memory } }).exports as ProductKernels;
const ctrl = new Int32Array(memory.buffer, control + slot * SLOT_INTS * 4, SLOT_INTS);

Atomics.store(ctrl, DONE, 0);
Atomics.notify(ctrl, DONE);
let seen = 0;
for (;;) {
  Atomics.wait(ctrl, SEQ, seen);
  const seq = Atomics.load(ctrl, SEQ);
  if (seq === QUIT) break;
  seen = seq;
  const a = (i: number) => ctrl[ARGS + i];
  if (ctrl[OP] === PRODUCT) k.product(a(0), a(1), a(2), a(3), a(4), a(5), a(6));
  else k.transposedProductRows(a(0), a(1), a(2), a(3), a(4), a(5), a(6), a(7));
  Atomics.store(ctrl, DONE, seq);
  Atomics.notify(ctrl, DONE);
}
