import { describe, expect, it } from 'vitest';
import { getOrCompute } from '../../src/core/memo.js';

describe('getOrCompute', () => {
  it('computes once per key and returns the stored value afterwards, even a falsy one', () => {
    const store = new Map<string, number>();
    let calls = 0;
    const zero = () => {
      calls++;
      return 0;
    };
    expect(getOrCompute(store, 'a', zero)).toBe(0);
    expect(getOrCompute(store, 'a', zero)).toBe(0);
    expect(calls).toBe(1);
  });
});
