/**
 * Units of work of an audit: one per check, per sentinel and per figure of each claim that runs at
 * the budget. A unit's id names it for resuming, sharding and replay; its seed depends only on the
 * run's seed and the check it exercises, so a sentinel meets the same generated cases as its check.
 */
import {
  claimSentinels,
  type Budget,
  type CheckDef,
  type Claim,
  type FigureDef,
  type SentinelRef,
} from '../core/vocabulary.js';

interface UnitSeeds {
  seed: number;
  claimSeed: number;
  runSeed: number;
}

export type Unit =
  | ({ id: string; kind: 'check'; claim: Claim; check: CheckDef } & UnitSeeds)
  | ({ id: string; kind: 'sentinel'; claim: Claim; sentinel: SentinelRef; check: CheckDef } & UnitSeeds)
  | ({ id: string; kind: 'figure'; claim: Claim; figure: FigureDef } & UnitSeeds);

/** A 31-bit seed from the run's seed and a name (FNV-1a), stable across versions and platforms. */
export function deriveSeed(root: number, name: string): number {
  let h = 0x811c9dc5;
  const text = `${root}|${name}`;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0) >>> 1;
}

export const checkUnitId = (claim: string, check: string) => `${claim}/check/${check}`;
export const sentinelUnitId = (claim: string, sentinel: string, check: string) =>
  `${claim}/sentinel/${sentinel}@${check}`;
export const figureUnitId = (claim: string, figure: string) => `${claim}/figure/${figure}`;

/** The seeds of check `check` of `claim` in a run with root seed `seed` (its sentinels share them). */
export function checkSeeds(claim: string, check: string, seed: number): UnitSeeds {
  return { seed: deriveSeed(seed, checkUnitId(claim, check)), claimSeed: deriveSeed(seed, claim), runSeed: seed };
}

/** The units of these claims at this budget, in report order. */
export function unitsFor(claims: readonly Claim[], budget: Budget, seed: number): Unit[] {
  const units: Unit[] = [];
  for (const claim of claims) {
    if (claim.notRunReason) continue;
    const claimSeed = deriveSeed(seed, claim.id);
    const runs = (check: CheckDef) => check.sizes[budget] !== undefined;
    for (const check of claim.checks) {
      if (runs(check))
        units.push({
          id: checkUnitId(claim.id, check.name),
          kind: 'check',
          claim,
          check,
          ...checkSeeds(claim.id, check.name, seed),
        });
    }
    for (const sentinel of claimSentinels(claim)) {
      const check = claim.checks.find((c) => c.name === sentinel.check)!;
      if (runs(check)) {
        units.push({
          id: sentinelUnitId(claim.id, sentinel.name, check.name),
          kind: 'sentinel',
          claim,
          sentinel,
          check,
          ...checkSeeds(claim.id, check.name, seed),
        });
      }
    }
    for (const figure of claim.figures) {
      const id = figureUnitId(claim.id, figure.id);
      if (figure.budgets.includes(budget))
        units.push({ id, kind: 'figure', claim, figure, seed: deriveSeed(seed, id), claimSeed, runSeed: seed });
    }
  }
  return units;
}

/** Shard i of n (1-based) takes every n-th unit starting with the i-th: deterministic and balanced in count. */
export function shardUnits<T>(units: readonly T[], index: number, count: number): T[] {
  return units.filter((_, k) => k % count === index - 1);
}
