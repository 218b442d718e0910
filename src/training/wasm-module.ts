/**
 * Instantiating the training's WebAssembly modules (compiled ahead of time, held as base64) on a
 * memory of the caller's: tfjs's own (products.ts), the fused trainer's (float32-space.ts) and, in a
 * helper thread, the fused trainer's shared one (product-worker.ts).
 */

// The lib settings (ES2022, node types) do not declare WebAssembly; the part used here:
declare const WebAssembly: {
  Memory: new (d: { initial: number; maximum?: number; shared?: boolean }) => { buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: unknown };
};

/** A WebAssembly memory as this code uses it. */
export interface Memory {
  buffer: ArrayBufferLike;
}

/** The exports of the module `base64` instantiated with `memory` as its env.memory import. */
export function instantiateOn(base64: string, memory: Memory): unknown {
  return new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(base64, 'base64')), { env: { memory } }).exports;
}

/** A new memory of `pages` 64 KiB pages; a shared one cannot grow (its maximum is its size). */
export function newMemory(pages: number, shared: boolean): Memory {
  return shared
    ? new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true })
    : new WebAssembly.Memory({ initial: pages });
}
