import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Registry } from '../../src/audit/registry.js';
import { main } from '../../src/cli/main.js';
import { firstNonFinite, printResult } from '../../src/cli/print.js';

/** A registry whose claims cannot be read: the mathematics failing after the input was accepted. */
const broken: Registry = {
  get claims(): never {
    throw new RangeError('index out of range in a kernel');
  },
  experiments: [],
};

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

describe('exit codes', () => {
  it('reports an error thrown after the input was accepted as internal (3), never as bad input (2)', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await main(['list'], broken)).toBe(3);
    expect(String(stderr.mock.calls[0][0])).toMatch(/^rankcheck: internal error: index out of range in a kernel\n$/);
  });

  it('never prints a non-finite promised number as a success: it names the field and exits 3', () => {
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    printResult({ d: 8, error: NaN }, true, () => 'unused');
    expect(stdout).not.toHaveBeenCalled();
    expect(String(stderr.mock.calls[0][0])).toBe('rankcheck: internal error: result.error is not a finite number\n');
    expect(process.exitCode).toBe(3);
  });

  it('finds non-finite numbers anywhere in a result, and accepts null as a deliberate “none”', () => {
    expect(firstNonFinite({ a: [1, { b: Float64Array.of(2, Infinity) }] })).toBe('result.a[1].b[1]');
    expect(firstNonFinite({ lowerBound: null, rows: [1, 2] })).toBeNull();
  });
});
