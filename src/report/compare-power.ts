/**
 * The power of a comparison: for every number judged by its seed spread, the smallest relative
 * move that compare would flag (its allowance over |base|), and per claim the median and the worst
 * of those, with the claim's key result apart. A number judged exactly (same inputs, or no seed
 * moves it) is flagged at any move beyond rounding and is counted, not listed.
 */
import type { Comparison, JudgedNumber } from './compare.js';

export interface ClaimPower {
  claim: string;
  /** Numbers judged by seed spread, and how many of them exactly (rounding, tolerance). */
  seedDependent: number;
  exact: number;
  /** Median and worst smallest relative move flagged over the seed-dependent numbers (null: none). */
  median: number | null;
  worst: number | null;
  /** The key result's smallest relative move flagged (null: no key result, or it is 0). */
  keyResult: number | null;
  keyResultRule: JudgedNumber['rule'] | null;
}

/** The claim a judged number belongs to, from where it was found. */
function claimOf(n: JudgedNumber): string | null {
  return /^(?:claim|discrepancy) ([^,:/ ]+)/.exec(n.where)?.[1] ?? null;
}

/** Smallest relative move compare flags on this number; null when it has no allowance or its base is 0. */
export function relativePower(n: JudgedNumber): number | null {
  if (n.allowance === null || typeof n.base !== 'number' || n.base === 0) return null;
  return n.allowance / Math.abs(n.base);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? null : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Per claim, in the order claims first appear among the judged numbers. */
export function comparisonPower(cmp: Comparison): ClaimPower[] {
  const byClaim = new Map<string, JudgedNumber[]>();
  for (const n of cmp.numbers) {
    const c = claimOf(n);
    if (c !== null) byClaim.set(c, [...(byClaim.get(c) ?? []), n]);
  }
  return [...byClaim].map(([claim, ns]) => {
    const spread = ns.filter((n) => n.rule === 'seed-spread').flatMap((n) => relativePower(n) ?? []);
    const key = ns.find((n) => n.where === `claim ${claim}: key result`);
    return {
      claim,
      seedDependent: ns.filter((n) => n.rule === 'seed-spread').length,
      exact: ns.filter((n) => n.rule === 'exact' || n.rule === 'tolerance' || n.rule === 'same-inputs').length,
      median: median(spread),
      worst: spread.length ? Math.max(...spread) : null,
      keyResult: key ? relativePower(key) : null,
      keyResultRule: key?.rule ?? null,
    };
  });
}
