import { describe, expect, it } from 'vitest';
import { fewerHeadsVerdict as dimensionsVerdict } from '../../properties/dimensions/claim.js';
import { fewerHeadsVerdict as iclVerdict } from '../../properties/icl/claim.js';
import { depthVerdict, oneLayerVerdict } from '../../properties/figure-1/claim.js';
import { concatVerdict } from '../../properties/positional/claim.js';
import type { SettingResult } from '../../src/experiments/settings.js';

/** A setting result with MSE `mse` ± `half` (one seed). */
function result(fields: Partial<SettingResult>, mse: number, half = 0.01): SettingResult {
  const d = fields.d ?? 8;
  const heads = fields.heads ?? 1;
  return {
    layers: 1,
    copies: 1,
    n: 8,
    positional: 'none',
    task: 'farthest',
    seeds: 1,
    bestSeed: 1,
    runs: [],
    ...fields,
    d,
    heads,
    rank: d / heads,
    mse: { mean: mse, min: mse, max: mse, ci: [mse - half, mse + half] },
  };
}

describe('experiment verdicts', () => {
  it('one layer: holds when full rank is ≥ 2× better than every lower rank, violated when some lower rank is surely within 2×, else inconclusive', () => {
    const low = [result({ heads: 2 }, 0.5), result({ heads: 8 }, 0.6)];
    expect(oneLayerVerdict([result({ heads: 1 }, 0.1), ...low]).verdict).toBe('holds');
    expect(oneLayerVerdict([result({ heads: 1 }, 0.4), ...low]).verdict).toBe('violated');
    expect(oneLayerVerdict([result({ heads: 1 }, 0.245), ...low]).verdict).toBe('inconclusive');
  });

  it('depth: full rank must still win at depth and the best lower rank must improve with depth', () => {
    const shallow = [result({ heads: 1 }, 0.1), result({ heads: 2 }, 0.5)];
    expect(
      depthVerdict([...shallow, result({ layers: 2, heads: 1 }, 0.05), result({ layers: 2, heads: 2 }, 0.3)]).verdict,
    ).toBe('holds');
    expect(
      depthVerdict([...shallow, result({ layers: 2, heads: 1 }, 0.05), result({ layers: 2, heads: 2 }, 0.02)]).verdict,
    ).toBe('violated');
    expect(
      depthVerdict([...shallow, result({ layers: 2, heads: 1 }, 0.05), result({ layers: 2, heads: 2 }, 0.7)]).verdict,
    ).toBe('violated');
  });

  it('positional: concatenated must beat every other encoding at each rank', () => {
    const at = (pos: string, mse: number) => result({ heads: 4, positional: pos }, mse);
    expect(concatVerdict([at('concat', 0.3), at('additive', 0.6), at('none', 0.6)]).verdict).toBe('holds');
    expect(concatVerdict([at('concat', 0.7), at('additive', 0.6)]).verdict).toBe('violated');
    expect(concatVerdict([at('concat', 0.6), at('additive', 0.605)]).verdict).toBe('inconclusive');
  });

  it('fewer heads better (dimension sweep, in-context regression): each doubling of H must surely raise the MSE', () => {
    const rising = [result({ heads: 1 }, 0.1), result({ heads: 2 }, 0.3), result({ heads: 4 }, 0.5)];
    expect(dimensionsVerdict(rising).verdict).toBe('holds');
    expect(iclVerdict(rising)).toBe('holds');
    const falling = [result({ heads: 1 }, 0.5), result({ heads: 2 }, 0.3), result({ heads: 4 }, 0.5)];
    expect(dimensionsVerdict(falling).verdict).toBe('violated');
    expect(iclVerdict(falling)).toBe('violated');
    expect(iclVerdict([result({ heads: 1 }, 0.3), result({ heads: 2 }, 0.305)])).toBe('inconclusive');
  });
});
