/**
 * The environment's say in the numerics, read here and nowhere below the CLI: RANKCHECK_EVALUATOR
 * (the float64 kernels: wasm-simd, the default, or ts) and RANKCHECK_BACKEND (the tfjs backend:
 * node, wasm or cpu; default the first that loads). Unset or empty leaves the default.
 */
import { EVALUATORS, useEvaluator, type Evaluator } from '../model/evaluator.js';
import { BACKENDS, preferBackend, type BackendName } from '../training/backend-state.js';
import { UsageError } from './usage-error.js';

/** The value of `name` in env if it is one of `allowed`, undefined if unset or empty; a UsageError otherwise. */
function choice<T extends string>(env: NodeJS.ProcessEnv, name: string, allowed: readonly T[]): T | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
  return value as T;
}

/** Validates RANKCHECK_EVALUATOR and RANKCHECK_BACKEND and applies them to this thread (and so to its workers). */
export function resolveNumerics(env: NodeJS.ProcessEnv): void {
  const evaluator = choice<Evaluator>(env, 'RANKCHECK_EVALUATOR', EVALUATORS);
  const backend = choice<BackendName>(env, 'RANKCHECK_BACKEND', BACKENDS);
  if (evaluator !== undefined) useEvaluator(evaluator);
  if (backend !== undefined) preferBackend(backend);
}
