/**
 * The environment's say in the numerics, read here and nowhere below the CLI: RANKCHECK_EVALUATOR
 * (the float64 kernels: wasm-simd, the default, or ts) and RANKCHECK_BACKEND (the tfjs backend:
 * node, wasm or cpu; default the first that loads) and RANKCHECK_WASM_THREADS (threads of the wasm
 * backend's pool in each thread that trains, 1 to 8; default 1) and RANKCHECK_TRAINER (the
 * trainer of every model: fused, the default, or tfjs, the reference). Unset or empty leaves the default.
 */
import { EVALUATORS, useEvaluator, type Evaluator } from '../model/evaluator.js';
import {
  BACKENDS,
  MAX_WASM_THREADS,
  preferBackend,
  preferWasmThreads,
  type BackendName,
} from '../training/backend-state.js';
import { TRAINERS, preferTrainer, type TrainerName } from '../training/trainer-state.js';
import { UsageError } from './usage-error.js';

/** The value of `name` in env if it is one of `allowed`, undefined if unset or empty; a UsageError otherwise. */
function choice<T extends string>(env: NodeJS.ProcessEnv, name: string, allowed: readonly T[]): T | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
  return value as T;
}

/** The integer value of `name` in env within [1, max], undefined if unset or empty; a UsageError otherwise. */
function count(env: NodeJS.ProcessEnv, name: string, max: number): number | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!/^[0-9]+$/.test(value) || n < 1 || n > max)
    throw new UsageError(`${name} must be an integer from 1 to ${max} (got "${value}")`);
  return n;
}

/** Validates RANKCHECK_EVALUATOR, RANKCHECK_BACKEND, RANKCHECK_WASM_THREADS and RANKCHECK_TRAINER and applies them to this thread (and so to its workers). */
export function resolveNumerics(env: NodeJS.ProcessEnv): void {
  const evaluator = choice<Evaluator>(env, 'RANKCHECK_EVALUATOR', EVALUATORS);
  const backend = choice<BackendName>(env, 'RANKCHECK_BACKEND', BACKENDS);
  const threads = count(env, 'RANKCHECK_WASM_THREADS', MAX_WASM_THREADS);
  const trainer = choice<TrainerName>(env, 'RANKCHECK_TRAINER', TRAINERS);
  if (evaluator !== undefined) useEvaluator(evaluator);
  if (backend !== undefined) preferBackend(backend);
  if (threads !== undefined) preferWasmThreads(threads);
  if (trainer !== undefined) preferTrainer(trainer);
}
