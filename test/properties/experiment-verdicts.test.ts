import { describe, expect, it } from 'vitest';
import { fewerHeadsVerdict as dimensionsVerdict } from '../../properties/dimensions/claim.js';
import { depthVerdict, oneLayerVerdict } from '../../properties/figure-1/claim.js';
import { widensVerdict } from '../../properties/figure-n/claim.js';
import { fewerHeadsVerdict as iclVerdict } from '../../properties/icl/claim.js';
import {
  copiesVerdict,
  LEARNED_WEIGHTS_EXPERIMENT,
  MAX_COPY_MEDIAN_ANGLE,
  PAPER_COPY_ANGLES,
} from '../../properties/learned-weights/claim.js';
import { additiveVerdict, concatVerdict, POSITIONAL_EXPERIMENT } from '../../properties/positional/claim.js';
import type { SettingResult } from '../../src/experiments/settings.js';
import { modelDim, positionDesign } from '../../src/experiments/tasks.js';

/** Seed-to-seed deviations of a setting (four seeds, mean 0): a spread of about ±0.01. */
const SPREAD = [-0.012, 0.01, -0.004, 0.006];

/** SPREAD in an order of the setting's own, so that two settings' seeds do not move in lockstep. */
function deviations(fields: Partial<SettingResult>): number[] {
  const k =
    ((fields.heads ?? 1) * 7 + (fields.n ?? 8) * 3 + (fields.layers ?? 1) * 5 + (fields.positional ?? '').length) % 4;
  return SPREAD.map((_, i) => SPREAD[(i + k) % 4]);
}

/** A setting result whose four seeds have MSE `mse` + its deviations (times `spread`). */
function result(fields: Partial<SettingResult>, mse: number, spread = 1): SettingResult {
  const d = fields.d ?? 8;
  const heads = fields.heads ?? 1;
  const mses = deviations(fields).map((e) => mse + spread * e);
  return {
    layers: 1,
    copies: 1,
    n: 8,
    positional: 'none',
    task: 'farthest',
    seeds: mses.length,
    bestSeed: 1,
    runs: mses.map((m, k) => ({
      seed: k + 1,
      mse: m,
      ci: [m - 0.01, m + 0.01],
      finalLoss: m,
      seconds: 1,
      headAngles: [1],
      scoreRanks: { min: d / heads, max: d / heads },
    })),
    ...fields,
    d,
    heads,
    rank: d / heads,
    mse: {
      mean: mse,
      min: Math.min(...mses),
      max: Math.max(...mses),
      ci: [mse - 0.02, mse + 0.02],
      hull: [mse - 0.03, mse + 0.03],
    },
  };
}

describe('experiment verdicts rest on intervals over the training seeds', () => {
  it('one layer: holds when full rank is ≥ 2× better than every lower rank, violated when some lower rank is surely within 2×, else inconclusive', () => {
    const low = [result({ heads: 2 }, 0.5), result({ heads: 8 }, 0.6)];
    expect(oneLayerVerdict([result({ heads: 1 }, 0.1), ...low]).verdict).toBe('holds');
    expect(oneLayerVerdict([result({ heads: 1 }, 0.4), ...low]).verdict).toBe('violated');
    // 2 × 0.25 = 0.5: on the threshold, within the seeds' spread.
    expect(oneLayerVerdict([result({ heads: 1 }, 0.25), ...low]).verdict).toBe('inconclusive');
  });

  it('one layer: the same means with a seed-to-seed spread ten times larger are inconclusive', () => {
    const low = [result({ heads: 2 }, 0.5, 10), result({ heads: 8 }, 0.6, 10)];
    // Best lower rank − 2 × full rank = 0.1: ten spreads of the per-seed difference at spread 1, one at spread 10.
    expect(oneLayerVerdict([result({ heads: 1 }, 0.2, 10), ...low]).verdict).toBe('inconclusive');
    expect(
      oneLayerVerdict([result({ heads: 1 }, 0.2), result({ heads: 2 }, 0.5), result({ heads: 8 }, 0.6)]).verdict,
    ).toBe('holds');
  });

  it('depth: full rank must still win at depth and the best lower rank must improve with depth', () => {
    const shallow = [result({ heads: 1 }, 0.1), result({ heads: 2 }, 0.5)];
    expect(
      depthVerdict([...shallow, result({ layers: 2, heads: 1 }, 0.05), result({ layers: 2, heads: 2 }, 0.3)]).verdict,
    ).toBe('holds');
    // A lower rank certainly better than full rank at depth.
    expect(
      depthVerdict([...shallow, result({ layers: 2, heads: 1 }, 0.3), result({ layers: 2, heads: 2 }, 0.05)]).verdict,
    ).toBe('violated');
    expect(
      depthVerdict([...shallow, result({ layers: 2, heads: 1 }, 0.05), result({ layers: 2, heads: 2 }, 0.7)]).verdict,
    ).toBe('violated');
  });

  it('figure N: the gap between rank 1 and full rank must grow from each N to the next', () => {
    const at = (n: number, full: number, low: number) => [result({ n, heads: 1 }, full), result({ n, heads: 8 }, low)];
    expect(widensVerdict([...at(2, 0.05, 0.15), ...at(8, 0.12, 0.63)]).verdict).toBe('holds');
    expect(widensVerdict([...at(2, 0.05, 0.55), ...at(8, 0.12, 0.3)]).verdict).toBe('violated');
    expect(widensVerdict([...at(2, 0.05, 0.55), ...at(8, 0.05, 0.552)]).verdict).toBe('inconclusive');
  });

  it('positional: concatenated must beat every other encoding at each rank', () => {
    const at = (pos: string, mse: number) => result({ heads: 4, positional: pos }, mse);
    expect(concatVerdict([at('concat', 0.3), at('additive', 0.6), at('none', 0.6)]).verdict).toBe('holds');
    expect(concatVerdict([at('concat', 0.7), at('additive', 0.6)]).verdict).toBe('violated');
    expect(concatVerdict([at('concat', 0.6), at('additive', 0.605)]).verdict).toBe('inconclusive');
  });

  it('positional: additive positions must stay nearer to none than to concatenated at each rank', () => {
    const at = (pos: string, mse: number) => result({ heads: 4, positional: pos }, mse);
    // Midpoint of none (0.64) and concatenated (0.56) is 0.60; the spread of one setting is ±0.01.
    expect(additiveVerdict([at('none', 0.64), at('additive', 0.66), at('concat', 0.56)]).verdict).toBe('holds');
    expect(additiveVerdict([at('none', 0.64), at('additive', 0.57), at('concat', 0.56)]).verdict).toBe('violated');
    expect(additiveVerdict([at('none', 0.64), at('additive', 0.601), at('concat', 0.56)]).verdict).toBe('inconclusive');
  });

  it('fewer heads better (dimension sweep, in-context regression): each doubling of H must surely raise the MSE', () => {
    const rising = [result({ heads: 1 }, 0.1), result({ heads: 2 }, 0.3), result({ heads: 4 }, 0.5)];
    expect(dimensionsVerdict(rising).verdict).toBe('holds');
    expect(iclVerdict(rising).verdict).toBe('holds');
    const falling = [result({ heads: 1 }, 0.5), result({ heads: 2 }, 0.3), result({ heads: 4 }, 0.5)];
    expect(dimensionsVerdict(falling).verdict).toBe('violated');
    expect(iclVerdict(falling).verdict).toBe('violated');
    expect(iclVerdict([result({ heads: 1 }, 0.3), result({ heads: 2 }, 0.305)]).verdict).toBe('inconclusive');
  });

  it('refuses to compare settings trained with different seeds', () => {
    const a = result({ heads: 1 }, 0.1);
    const b = {
      ...result({ heads: 2 }, 0.5),
      runs: result({ heads: 2 }, 0.5).runs.map((r) => ({ ...r, seed: r.seed + 1 })),
    };
    expect(() => oneLayerVerdict([a, b])).toThrow(/share their training seeds/);
  });
});

describe('the positional grids', () => {
  it('pair the encodings at equal ranks; paper trains the released design, standard the one-hot one', () => {
    for (const [budget, design] of [
      ['standard', 'one-hot'],
      ['paper', 'released'],
    ] as const) {
      const settings = POSITIONAL_EXPERIMENT.grid(budget);
      const ranks = settings.map((s) => modelDim(s.task, s.arch) / s.arch.heads);
      for (const rank of new Set(ranks)) expect(ranks.filter((r) => r === rank)).toHaveLength(3);
      expect(ranks.every(Number.isInteger)).toBe(true);
      expect(settings.every((s) => s.task.kind === 'farthest' && positionDesign(s.task) === design)).toBe(true);
    }
    // The released concatenated model runs in d + 64 at the paper's d = 64, so rank 2 takes 64 heads there and 32 without.
    const paper = POSITIONAL_EXPERIMENT.grid('paper').filter((s) => modelDim(s.task, s.arch) / s.arch.heads === 2);
    expect(paper.map((s) => s.task.kind === 'farthest' && [s.task.positional, s.arch.heads])).toEqual([
      ['none', 32],
      ['additive', 32],
      ['concat', 64],
    ]);
  });
});

describe('learned weights with many copies', () => {
  it("the threshold passes the paper's own medians (4° at c = 8, 11.5° at c = 64 from −I) and fails a median at 19.9° (standard's c = 8)", () => {
    const paper = ([8, 64] as const).map((c) => ({ copies: c, angles: [180 - PAPER_COPY_ANGLES.median[c]] }));
    expect(copiesVerdict(paper)).toBe('holds');
    expect(MAX_COPY_MEDIAN_ANGLE).toBeCloseTo(18.5, 12);
    expect(copiesVerdict([...paper, { copies: 16, angles: [0.5, 19.9, 30] }])).toBe('violated');
  });

  it('the experiment trains the copies where they are checked (paper: c = 8 and 64), not where they are only measured (standard)', () => {
    const copies = (budget: 'quick' | 'standard' | 'paper') =>
      [...new Set(LEARNED_WEIGHTS_EXPERIMENT.grid(budget).map((x) => x.arch.copies))].sort((a, b) => a - b);
    expect([copies('quick'), copies('standard'), copies('paper')]).toEqual([[1], [1], [1, 8, 64]]);
  });

  it('the median, not the worst copy, decides: a few straying copies are the paper’s outliers too', () => {
    expect(copiesVerdict([{ copies: 8, angles: [0.5, 0.7, 1, 1.2, 40] }])).toBe('holds');
    expect(copiesVerdict([{ copies: 8, angles: [0.5, 19, 19.5, 40] }])).toBe('violated');
  });
});
