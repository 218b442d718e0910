import { describe, expect, it } from 'vitest';
import { prose } from '../../src/core/format.js';
import { recordedKeyResult } from '../../properties/support/experiments.js';
import type { SettingResult } from '../../src/experiments/settings.js';
import type { CheckRecordView } from '../../src/core/vocabulary.js';
import { REGISTRY } from '../../properties/registry.js';

const result = (rank: number, mean: number): SettingResult => ({
  layers: 1,
  copies: 1,
  heads: 8 / rank,
  rank,
  n: 8,
  d: 8,
  positional: 'none',
  task: 'farthest',
  seeds: 1,
  mse: { mean, min: mean, max: mean, ci: [mean - 0.01, mean + 0.01], hull: [mean - 0.01, mean + 0.01] },
  bestSeed: 1,
  runs: [],
});

describe('the key result of an experiment claim', () => {
  it('is read from the results its check reports list when the check did not run in this process (resume, merge)', () => {
    const check = {
      name: 'c',
      witnesses: [result(8, 0.1), result(1, 0.6), { unrelated: true }],
    } as unknown as CheckRecordView;
    const k = recordedKeyResult('a-claim-that-never-ran-here', [check, check], 'full rank', (rs) => ({
      value: rs.length,
      text: prose(rs.map((r) => r.rank).join(',')),
    }));
    // The two copies of each setting count once, and the non-result witness is ignored.
    expect(k).toEqual({ label: 'full rank', value: 2, text: prose('8,1') });
  });

  it('is null while no check result is there', () => {
    expect(recordedKeyResult('another-claim', [], 'x', () => ({ value: 1, text: prose('') }))).toBeNull();
  });
});

describe('the key result of random-features', () => {
  const claim = REGISTRY.claims.find((c) => c.id === 'random-features')!;
  it('quotes its check’s own measurement at d = 16 and the largest H, not a separate draw', () => {
    const check: CheckRecordView = {
      name: 'slow-decrease',
      metrics: { errorAtHmax_d16: 0.26, maxHeads: 256 },
      witnesses: [],
    };
    const k = claim.keyResult!([check]);
    expect(k?.value).toBe(0.26);
    expect(k?.label).toBe('exact error of 256 random rank-1 heads, d = 16');
  });

  it('is null until that check is in the report', () => {
    expect(claim.keyResult!([])).toBeNull();
  });
});
