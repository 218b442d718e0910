/**
 * The verdict rules, in one place: how parts combine into a check's verdict, how checks make a
 * claim's, what counts as a caught sentinel, and which verdict is worse than which.
 */
import type { ClaimVerdict, Verdict } from './vocabulary.js';

/** The verdict of several parts: any violated wins, then any inconclusive, else holds (no parts: holds). */
export function combineVerdicts(vs: readonly Verdict[]): Verdict {
  return vs.includes('violated') ? 'violated' : vs.includes('inconclusive') ? 'inconclusive' : 'holds';
}

/** A three-way comparison: holds when `holds`, violated when `violated`, inconclusive otherwise (holds wins a tie). */
export function decide(holds: boolean, violated: boolean): Verdict {
  return holds ? 'holds' : violated ? 'violated' : 'inconclusive';
}

/**
 * A claim's verdict from the verdicts of the checks that ran, out of `expected` checks of the
 * budget: not-run when none is expected or none ran; violated when one is; "holds" only when every
 * expected check ran and held (a partial set of passing checks is inconclusive).
 */
export function claimVerdict(ran: readonly Verdict[], expected: number): ClaimVerdict {
  if (expected === 0 || ran.length === 0) return 'not-run';
  if (ran.includes('violated')) return 'violated';
  if (ran.includes('inconclusive') || ran.length < expected) return 'inconclusive';
  return 'holds';
}

/** A sentinel is caught when the check it targets returns "violated" on it. */
export function sentinelCaught(verdict: Verdict): boolean {
  return verdict === 'violated';
}

/** Better verdicts rank higher; a regression is a move to a lower rank. */
export const VERDICT_RANK: Readonly<Record<ClaimVerdict, number>> = {
  holds: 3,
  inconclusive: 2,
  'not-run': 1,
  violated: 0,
};
