/**
 * A helper thread of product-threads.ts: instantiates products.wat on the fused trainer's shared
 * memory, says it is ready in its control slot, then runs each share of a product posted there
 * until told to quit. Its only inputs are the memory and the slot: it computes nothing else.
 */
import { workerData } from 'node:worker_threads';
import { PRODUCTS_SHARED_WASM_BASE64 } from './wasm/products.generated.js';
import { ARGS, DONE, OP, QUIT, runShare, SEQ, SLOT_INTS, type ProductKernels } from './product-slots.js';
import { instantiateOn, type Memory } from './wasm-module.js';

const { memory, control, slot } = workerData as {
  memory: Memory;
  control: number;
  slot: number;
};
const k = instantiateOn(PRODUCTS_SHARED_WASM_BASE64, memory) as ProductKernels;
const ctrl = new Int32Array(memory.buffer, control + slot * SLOT_INTS * 4, SLOT_INTS);

Atomics.store(ctrl, DONE, 0);
Atomics.notify(ctrl, DONE);
let seen = 0;
for (;;) {
  Atomics.wait(ctrl, SEQ, seen);
  const seq = Atomics.load(ctrl, SEQ);
  if (seq === QUIT) break;
  seen = seq;
  runShare(k, ctrl[OP], ctrl.subarray(ARGS));
  Atomics.store(ctrl, DONE, seq);
  Atomics.notify(ctrl, DONE);
}
