import { describe, expect, it } from 'vitest';
import { backendLabel } from '../../src/report/backend-label.js';

const simd = { evaluator: 'float64-wasm-simd', tfjs: null };
const trained = { evaluator: 'float64-wasm-simd', tfjs: 'wasm' };

describe('the backend label of a document', () => {
  it('names each evaluator and tfjs backend once, in order of first use', () => {
    expect(backendLabel([simd, trained, trained, simd], 'x')).toBe('float64-wasm-simd + tfjs-wasm');
    expect(backendLabel([simd, { evaluator: 'float64-js', tfjs: null }], 'x')).toBe('float64-wasm-simd + float64-js');
  });

  it('names units recorded before records carried it by the fallback, and is the fallback when no unit says', () => {
    expect(backendLabel([undefined, simd], 'float64-js + tfjs-cpu')).toBe('float64-wasm-simd + float64-js + tfjs-cpu');
    expect(backendLabel([undefined, undefined], 'float64-js')).toBe('float64-js');
    expect(backendLabel([], 'float64-js')).toBe('float64-js');
  });
});
