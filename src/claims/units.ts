/**
 * Units of work of an audit: one per check, per sentinel and per figure of each claim that runs at
 * the budget. A unit's id names it for resuming and sharding; its seed depends only on the run's
 * seed and the check it exercises, so a sentinel meets the same generated cases as its check.
 */
import type { Budget, CheckDef, Claim, FigureDef, SentinelDef } from './types.js';

export type Unit =
  | { id: string; kind: 'check'; claim: Claim; check: CheckDef; seed: number; claimSeed: number; runSeed: number }
  | { id: string; kind: 'sentinel'; claim: Claim; sentinel: SentinelDef; check: CheckDef; seed: number; claimSeed: number; runSeed: number }
  | { id: string; kind: 'figure'; claim: Claim; figure: FigureDef; seed: number; claimSeed: number; runSeed: number };

/** A 31-bit seed from the run's seed and a name (FNV-1a), stable across versions and platforms. */
export function deriveSeed(root: number, name: string): number {
  let h = 0x811c9dc5;
  const text = `${root}|${name}`;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0) >>> 1;
}

export const checkUnitId = (claim: string, check: string) => `${claim}/check/${check}`;
export const sentinelUnitId = (claim: string, sentinel: string, check: string) => `${claim}/sentinel/${sentinel}@${check}`;
export const figureUnitId = (claim: string, figure: string) => `${claim}/figure/${figure}`;

/** The units of these claims at this budget, in report order. */
export function unitsFor(claims: readonly Claim[], budget: Budget, seed: number): Unit[] {
  const units: Unit[] = [];
  for (const claim of claims) {
    if (claim.notRunReason) continue;
    const checkSeed = (check: string) => deriveSeed(seed, checkUnitId(claim.id, check));
    const claimSeed = deriveSeed(seed, claim.id);
    for (const check of claim.checks) {
      if (check.sizes[budget] !== undefined) units.push({ id: checkUnitId(claim.id, check.name), kind: 'check', claim, check, seed: checkSeed(check.name), claimSeed, runSeed: seed });
    }
    for (const sentinel of claim.sentinels) {
      const check = claim.checks.find((c) => c.name === sentinel.check);
      if (!check) throw new Error(`claim ${claim.id}: sentinel ${sentinel.name} names an unknown check ${sentinel.check}`);
      if (check.sizes[budget] !== undefined) {
        units.push({ id: sentinelUnitId(claim.id, sentinel.name, check.name), kind: 'sentinel', claim, sentinel, check, seed: checkSeed(check.name), claimSeed, runSeed: seed });
      }
    }
    for (const figure of claim.figures) {
      if (figure.budgets.includes(budget)) units.push({ id: figureUnitId(claim.id, figure.id), kind: 'figure', claim, figure, seed: deriveSeed(seed, figureUnitId(claim.id, figure.id)), claimSeed, runSeed: seed });
    }
  }
  return units;
}

/** Shard i of n (1-based) takes every n-th unit starting with the i-th: deterministic and balanced in count. */
export function shardUnits(units: Unit[], index: number, count: number): Unit[] {
  return units.filter((_, k) => k % count === index - 1);
}
