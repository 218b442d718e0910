/**
 * The control slots through which product-threads.ts posts shares of a product to its helper
 * threads: one slot of SLOT_INTS int32 per helper in the shared memory. The main thread writes the
 * operation and its arguments, then bumps SEQ; the helper runs it and stores that SEQ into DONE.
 */

/** Index of the job counter (QUIT asks the helper to stop). */
export const SEQ = 0;
/** Index of the last job finished (−1 until the helper is ready). */
export const DONE = 1;
/** Index of the operation: PRODUCT or TRANSPOSED_ROWS. */
export const OP = 2;
/** Index of the first of the operation's arguments (byte offsets and sizes). */
export const ARGS = 3;
export const SLOT_INTS = 16;

export const PRODUCT = 1;
export const TRANSPOSED_ROWS = 2;
export const QUIT = -1;

/** Runs one share, `op` with its arguments as a slot holds them, on `kernels` (a helper's, or the caller's). */
export function runShare(kernels: ProductKernels, op: number, a: ArrayLike<number>): void {
  if (op === PRODUCT) kernels.product(a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
  else kernels.transposedProductRows(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
}

/** The exports of products.wat. */
export interface ProductKernels {
  product(a: number, b: number, out: number, m: number, k: number, n: number, accumulate: number): void;
  transposedProduct(x: number, dy: number, out: number, T: number, k: number, n: number): void;
  transposedProductRows(
    x: number,
    dy: number,
    out: number,
    T: number,
    k: number,
    n: number,
    i0: number,
    i1: number,
  ): void;
  columnSums(dy: number, out: number, T: number, n: number): void;
}
