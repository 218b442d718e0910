import { afterEach, describe, expect, it } from 'vitest';
import { resolveNumerics } from '../../src/cli/numerics.js';
import { UsageError } from '../../src/cli/usage-error.js';
import { float64Label, useEvaluator } from '../../src/model/evaluator.js';
import {
  preferBackend,
  preferredBackend,
  preferredWasmThreads,
  preferWasmThreads,
} from '../../src/training/backend-state.js';
import { preferredTrainer, preferTrainer } from '../../src/training/trainer-state.js';
import { expectUsageError, runCliWith } from './run-cli.js';

const defaultTrainer = preferredTrainer();

afterEach(() => {
  useEvaluator('wasm-simd');
  preferBackend(undefined);
  preferWasmThreads(1);
  preferTrainer(defaultTrainer);
});

describe('the numerics from the environment', () => {
  it('RANKCHECK_EVALUATOR=ts and RANKCHECK_BACKEND=cpu set the float64 kernels and the preferred tfjs backend', () => {
    resolveNumerics({ RANKCHECK_EVALUATOR: 'ts', RANKCHECK_BACKEND: 'cpu' });
    expect(float64Label()).toBe('float64-js');
    expect(preferredBackend()).toBe('cpu');
  });

  it('RANKCHECK_WASM_THREADS=2 sets the wasm pool size of the threads that train', () => {
    resolveNumerics({ RANKCHECK_WASM_THREADS: '2' });
    expect(preferredWasmThreads()).toBe(2);
  });

  it("RANKCHECK_TRAINER picks the transformers' trainer, either way", () => {
    resolveNumerics({ RANKCHECK_TRAINER: 'tfjs' });
    expect(preferredTrainer()).toBe('tfjs');
    resolveNumerics({ RANKCHECK_TRAINER: 'fused' });
    expect(preferredTrainer()).toBe('fused');
  });

  it('unset or empty variables leave the defaults', () => {
    resolveNumerics({ RANKCHECK_EVALUATOR: '', RANKCHECK_WASM_THREADS: '' });
    expect(float64Label()).toBe('float64-wasm-simd');
    expect(preferredBackend()).toBeUndefined();
    expect(preferredWasmThreads()).toBe(1);
  });

  it('a bad value is a usage error naming the variable and the values it takes', () => {
    expect(() => resolveNumerics({ RANKCHECK_EVALUATOR: 'js' })).toThrow(UsageError);
    expect(() => resolveNumerics({ RANKCHECK_BACKEND: 'gpu' })).toThrow(
      /RANKCHECK_BACKEND must be one of node, wasm, cpu/,
    );
    for (const bad of ['0', '9', '1.5', 'two', '-1'])
      expect(() => resolveNumerics({ RANKCHECK_WASM_THREADS: bad })).toThrow(
        /RANKCHECK_WASM_THREADS must be an integer from 1 to 8/,
      );
  });

  it('the CLI rejects RANKCHECK_EVALUATOR=bogus and RANKCHECK_BACKEND=gpu with exit code 2, before any command runs', () => {
    expectUsageError(['list'], /RANKCHECK_EVALUATOR must be one of wasm-simd, ts \(got "bogus"\)/, {
      RANKCHECK_EVALUATOR: 'bogus',
    });
    expectUsageError(['list'], /RANKCHECK_BACKEND/, { RANKCHECK_BACKEND: 'gpu' });
    expectUsageError(['list'], /RANKCHECK_WASM_THREADS must be an integer from 1 to 8 \(got "0"\)/, {
      RANKCHECK_WASM_THREADS: '0',
    });
    expectUsageError(['list'], /RANKCHECK_TRAINER must be one of tfjs, fused \(got "torch"\)/, {
      RANKCHECK_TRAINER: 'torch',
    });
  });

  it('the CLI accepts RANKCHECK_EVALUATOR=ts', () => {
    expect(runCliWith({ RANKCHECK_EVALUATOR: 'ts' }, '--version').code).toBe(0);
  });
});
