/**
 * Which kernel set the float64 attention layers of this thread run. The caller at the edge (the
 * CLI, from RANKCHECK_EVALUATOR) chooses; worker threads inherit the choice from the thread that
 * starts them. Both sets give bit-identical outputs, so the choice changes speed, never a number.
 */
import { inheritedByWorkers } from '../core/thread-settings.js';
import type { Evaluator, KernelSet } from './kernels/kernel-set.js';
import { TS_KERNELS } from './kernels/ts-kernels.js';
import { wasmKernelSet } from './kernels/wasm-kernels.js';

export type { Evaluator };
export const EVALUATORS: readonly Evaluator[] = ['wasm-simd', 'ts'];

let preferred: Evaluator = 'wasm-simd';

/**
 * Chooses the kernels of the layers made from now on, on this thread and the workers it starts:
 * 'wasm-simd' (the default; the TypeScript kernels where the engine lacks WebAssembly SIMD) or 'ts'.
 */
export function useEvaluator(kind: Evaluator): void {
  if (!EVALUATORS.includes(kind))
    throw new RangeError(`unknown evaluator "${kind}" (expected ${EVALUATORS.join(', ')})`);
  preferred = kind;
}

/** The kernel set a layer asking for `kind` (default: the thread's choice) runs. */
export function kernelSet(kind: Evaluator = preferred): KernelSet {
  return (kind === 'wasm-simd' ? wasmKernelSet() : null) ?? TS_KERNELS;
}

/** The float64 evaluator this thread's layers run, as reports name it: 'float64-wasm-simd' or 'float64-js'. */
export function float64Label(): string {
  return kernelSet().evaluator === 'wasm-simd' ? 'float64-wasm-simd' : 'float64-js';
}

inheritedByWorkers('float64-evaluator', () => preferred, useEvaluator);
