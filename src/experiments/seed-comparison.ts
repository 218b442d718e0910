/**
 * Comparisons of trained settings over their training seeds. The random quantity behind an
 * experiment claim is the training outcome, which varies from seed to seed far more than one
 * model's evaluation does; so a comparison takes, for every seed, the value of a statistic of the
 * settings' models of that seed (the settings share the seed's data stream and evaluation
 * sequences, so the comparison is paired), and puts a Student-t interval on the mean of those
 * per-seed values. No tfjs here.
 */
import { studentInterval } from '../core/stats.js';
import type { SettingResult } from './settings.js';

export interface SeedComparison {
  /** The statistic at each seed, in seed order. */
  values: number[];
  mean: number;
  /** Two-sided Student-t interval for the mean over seeds, at `level`. */
  ci: [number, number];
  level: number;
  seeds: number[];
}

/**
 * For each seed the settings share, f of their MSEs at that seed (mses[i] belongs to results[i]);
 * throws unless every setting was trained with the same seeds in the same order.
 */
export function perSeed(
  results: readonly SettingResult[],
  f: (mses: number[]) => number,
): { seeds: number[]; values: number[] } {
  if (results.length === 0) throw new RangeError('perSeed needs at least one setting');
  const seeds = results[0].runs.map((r) => r.seed);
  for (const r of results) {
    if (r.runs.map((x) => x.seed).join(',') !== seeds.join(','))
      throw new RangeError('the settings of a comparison must share their training seeds');
  }
  return { seeds, values: seeds.map((_, k) => f(results.map((r) => r.runs[k].mse))) };
}

/** The Student-t comparison of per-seed values at `level` (at least two seeds). */
export function seedComparison(
  results: readonly SettingResult[],
  f: (mses: number[]) => number,
  level: number,
): SeedComparison {
  const { seeds, values } = perSeed(results, f);
  if (values.length < 2) throw new RangeError('a comparison over seeds needs at least two seeds');
  const iv = studentInterval(values, level);
  return { values, mean: values.reduce((a, b) => a + b, 0) / values.length, ci: [iv.lo, iv.hi], level, seeds };
}

/** The level of each of `m` intervals so that all hold together with probability ≥ `family` (Bonferroni). */
export const eachLevel = (family: number, m: number) => 1 - (1 - family) / Math.max(1, m);

/** The family-wise level of every experiment verdict. */
export const FAMILY_LEVEL = 0.95;

/** A test that every part of a comparison is positive on average over the seeds. */
export interface PositiveTest {
  /** The per-seed minimum of the parts: its interval above 0 means every part is positive on average. */
  min: SeedComparison;
  /** Each part alone, at the level split between them: one whose interval is below 0 is certainly negative. */
  parts: SeedComparison[];
}

/**
 * Tests, over the shared seeds of `settings`, that every part p(mses) is positive. The minimum
 * over the parts at each seed is below each part, so E[min] > 0 implies every E[part] > 0: one
 * interval, with no split of the level, decides "all positive"; "some part negative" needs that
 * part's own interval, at the level split between the parts (Bonferroni).
 */
export function positiveOverSeeds(
  settings: readonly SettingResult[],
  parts: readonly ((mses: number[]) => number)[],
  level: number,
): PositiveTest {
  return {
    min: seedComparison(settings, (m) => Math.min(...parts.map((p) => p(m))), level),
    parts: parts.map((p) => seedComparison(settings, p, eachLevel(level, parts.length))),
  };
}
