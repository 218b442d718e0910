import { describe, expect, it } from 'vitest';
import { normalise } from '../../src/model/normalise.js';

describe('normalisation of attention scores', () => {
  it('hardmax breaks ties towards the lowest index, as the targets do', () => {
    const s = Float64Array.from([1, 3, 3, 2]);
    normalise(s, 4, 'hardmax');
    expect(Array.from(s)).toEqual([0, 1, 0, 0]);
  });

  it('softmax of all −∞ scores is uniform, and NaN scores are refused', () => {
    const s = Float64Array.from([-Infinity, -Infinity]);
    normalise(s, 2, 'softmax');
    expect(Array.from(s)).toEqual([0.5, 0.5]);
    expect(() => normalise(Float64Array.from([NaN, NaN]), 2, 'softmax')).toThrow(RangeError);
  });
});
