import { describe, expect, it } from 'vitest';
import { THEOREM3_ERROR } from '../../properties/theorem-3/construction.js';
import { trainedVerdict } from '../../properties/theorem-3/trained-models.js';

/** A d = 4, 33-head model with error interval [lo, hi] and the construction's value size. */
const model = (r: number, lo: number, hi: number) => ({
  d: 4,
  r,
  heads: 33,
  error: (lo + hi) / 2,
  ci: [lo, hi] as [number, number],
  valueNorm: 132,
  scoreRanks: { min: r, max: r },
  label: `rank ${r}`,
});
const control = model(4, 0.017, 0.021);

describe('the verdict on models fine-tuned from the construction', () => {
  it('holds when rank r stays above 1/40 and the full-rank control ends below it', () => {
    expect(trainedVerdict([model(2, 0.9, 0.95)], [control])).toBe('holds');
  });

  it('is violated by a small-norm rank-r model whose whole interval is below 1/40', () => {
    expect(trainedVerdict([model(2, 0.017, 0.021)], [control])).toBe('violated');
  });

  it('is inconclusive when the control did not end below 1/40: rank r above it then says nothing', () => {
    expect(trainedVerdict([model(2, 0.9, 0.95)], [model(4, 0.02, THEOREM3_ERROR + 1e-3)])).toBe('inconclusive');
  });

  it('is violated by a model labelled rank 2 with a head of score rank 3: it is not rank-2 evidence', () => {
    expect(trainedVerdict([{ ...model(2, 0.9, 0.95), scoreRanks: { min: 2, max: 3 } }], [control])).toBe('violated');
  });

  it('is violated by a rank-r model whose whole interval lies below its lower bound: the bound or its rank is wrong', () => {
    expect(trainedVerdict([{ ...model(2, 0.05, 0.07), lowerBound: 0.083 }], [control])).toBe('violated');
    expect(trainedVerdict([{ ...model(2, 0.08, 0.09), lowerBound: 0.083 }], [control])).toBe('holds');
  });

  it('ignores a model whose value matrices are far larger than the construction’s', () => {
    expect(trainedVerdict([{ ...model(2, 0.017, 0.021), valueNorm: 1e4 }], [control])).toBe('holds');
  });
});
