import { afterEach, describe, expect, it } from 'vitest';
import { resolveNumerics } from '../../src/cli/numerics.js';
import { UsageError } from '../../src/cli/usage-error.js';
import { float64Label, useEvaluator } from '../../src/model/evaluator.js';
import { preferBackend, preferredBackend } from '../../src/training/backend-state.js';
import { expectUsageError, runCliWith } from './run-cli.js';

afterEach(() => {
  useEvaluator('wasm-simd');
  preferBackend(undefined);
});

describe('the numerics from the environment', () => {
  it('RANKCHECK_EVALUATOR=ts and RANKCHECK_BACKEND=cpu set the float64 kernels and the preferred tfjs backend', () => {
    resolveNumerics({ RANKCHECK_EVALUATOR: 'ts', RANKCHECK_BACKEND: 'cpu' });
    expect(float64Label()).toBe('float64-js');
    expect(preferredBackend()).toBe('cpu');
  });

  it('unset or empty variables leave the defaults', () => {
    resolveNumerics({ RANKCHECK_EVALUATOR: '' });
    expect(float64Label()).toBe('float64-wasm-simd');
    expect(preferredBackend()).toBeUndefined();
  });

  it('a bad value is a usage error naming the variable and the values it takes', () => {
    expect(() => resolveNumerics({ RANKCHECK_EVALUATOR: 'js' })).toThrow(UsageError);
    expect(() => resolveNumerics({ RANKCHECK_BACKEND: 'gpu' })).toThrow(
      /RANKCHECK_BACKEND must be one of node, wasm, cpu/,
    );
  });

  it('the CLI rejects RANKCHECK_EVALUATOR=bogus and RANKCHECK_BACKEND=gpu with exit code 2, before any command runs', () => {
    expectUsageError(['list'], /RANKCHECK_EVALUATOR must be one of wasm-simd, ts \(got "bogus"\)/, {
      RANKCHECK_EVALUATOR: 'bogus',
    });
    expectUsageError(['list'], /RANKCHECK_BACKEND/, { RANKCHECK_BACKEND: 'gpu' });
  });

  it('the CLI accepts RANKCHECK_EVALUATOR=ts', () => {
    expect(runCliWith({ RANKCHECK_EVALUATOR: 'ts' }, '--version').code).toBe(0);
  });
});
