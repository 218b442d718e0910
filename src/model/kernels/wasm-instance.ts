/**
 * The WebAssembly SIMD module of the float64 evaluator (src/model/wasm/kernels.wat), one
 * instance per thread, and the allocation of its linear memory among attention layers (the
 * kernel set that calls it is wasm-kernels.ts).
 *
 * Why hand-written WAT compiled ahead of time by wabt: the kernel is a few loops whose exact
 * order of floating-point operations is the contract (bit-for-bit equality with the TypeScript
 * reference), and WAT states that order instruction by instruction, where a compiler from a
 * higher-level language (AssemblyScript) might reassociate or reorder nothing but would still
 * put a toolchain between the reviewer and the instructions; a hand-rolled binary encoder would
 * be unreadable. The bytes ship in kernels.generated.ts, so nothing is compiled from source or
 * fetched at run time; a unit test recompiles the WAT and checks that the committed bytes match.
 */
import { KERNELS_WASM_BASE64 } from '../wasm/kernels.generated.js';

// The lib settings (ES2022, node types) do not declare WebAssembly; the part used here:
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
declare const WebAssembly: {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
};

interface KernelExports {
  memory: WasmMemory;
  valueProduct(V: number, z: number, out: number, d: number, HD: number, groups: number): void;
  matVec(A: number, y: number, out: number, rows: number, n: number): void;
  blockScores(
    table: number,
    H: number,
    y: number,
    x: number,
    scores: number,
    p: number,
    u: number,
    count: number,
    m: number,
    phase: number,
    n: number,
    d: number,
    r: number,
  ): void;
  blockContexts(
    weights: number,
    x: number,
    z: number,
    H: number,
    count: number,
    m: number,
    phase: number,
    n: number,
    d: number,
  ): void;
}

/** Memory the layers' regions may occupy before all are evicted and reallocated (64 MiB). */
const REGION_CAP = 64 * 1024 * 1024;
const PAGE = 65536;

/**
 * A region of the kernel memory owned by one layer for one generation: once the allocator wraps
 * around (generation changes), the layer must allocate again and recopy what it keeps there.
 */
export interface Region {
  generation: number;
  /** Byte offset, 16-byte aligned. */
  offset: number;
}

/** This thread's instance of the kernels and the allocator of its memory. */
export class WasmInstance {
  readonly exports: KernelExports;
  private generation = 0;
  private top = 0;
  /** Evaluations in progress: while > 0, memory must neither grow nor be reused. */
  depth = 0;

  constructor(exports: KernelExports) {
    this.exports = exports;
  }

  get buffer(): ArrayBuffer {
    return this.exports.memory.buffer;
  }

  /** Whether a region is still the caller's. */
  valid(region: Region | null): region is Region {
    return region !== null && region.generation === this.generation;
  }

  /**
   * A new region of `bytes`, or null when that would need the memory to grow or be reused
   * during an evaluation (a nested call from a score function), or exceed the cap.
   */
  allocate(bytes: number): Region | null {
    const size = Math.ceil(bytes / 16) * 16;
    if (size > REGION_CAP) return null;
    if (this.top + size > REGION_CAP) {
      if (this.depth > 0) return null;
      this.generation++;
      this.top = 0;
    }
    const end = this.top + size;
    const memory = this.exports.memory;
    if (end > memory.buffer.byteLength) {
      if (this.depth > 0) return null;
      memory.grow(Math.ceil((end - memory.buffer.byteLength) / PAGE));
    }
    const region = { generation: this.generation, offset: this.top };
    this.top = end;
    return region;
  }
}

function decode(base64: string): Uint8Array {
  return new Uint8Array(Buffer.from(base64, 'base64'));
}

function load(): WasmInstance | null {
  if (typeof WebAssembly !== 'object') return null;
  try {
    const bytes = decode(KERNELS_WASM_BASE64);
    // validate() is false when the engine lacks SIMD (the module uses v128 throughout).
    if (!WebAssembly.validate(bytes)) return null;
    const loaded = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    return new WasmInstance(loaded.exports as unknown as KernelExports);
  } catch {
    return null;
  }
}

let instance: WasmInstance | null | undefined;

/** This thread's instance (loaded on first call), or null when the engine lacks WebAssembly SIMD. */
export function wasmInstance(): WasmInstance | null {
  if (instance === undefined) instance = load();
  return instance;
}
