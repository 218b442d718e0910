/**
 * Which parts of a claim a budget tests, and the label its verdict carries: a claim "holds" only
 * when every part was tested and passed; with untested parts it "holds in part (k of n parts
 * tested)". A conjecture is "supported" / "not supported at the sizes tested". The verdict itself
 * (and so every exit code) is unchanged by parts: the label says how far it reaches.
 */
import { claimVerdict } from './verdicts.js';
import { decidesClaim, type Budget, type Claim, type ClaimVerdict, type Part, type Verdict } from './vocabulary.js';

/** A part at a budget: tested or not (with the reason), and its verdict from the checks that ran. */
export interface PartStatus {
  id: string;
  statement: string;
  checks: string[];
  tested: boolean;
  /** Why it is untested at this budget; null when tested. */
  reason: string | null;
  verdict: ClaimVerdict;
}

/** The claim's parts, or the one implicit part (the whole statement, every deciding check). */
export function partsOf(claim: Claim): readonly Part[] {
  return (
    claim.parts ?? [
      {
        id: 'statement',
        statement: claim.statement,
        checks: claim.checks.filter((c) => decidesClaim(c.kind)).map((c) => c.name),
      },
    ]
  );
}

/** Whether the claim's check `check` runs at `budget`. */
const runsAt = (claim: Claim, check: string, budget: Budget) =>
  claim.checks.find((c) => c.name === check)?.sizes[budget] !== undefined;

/**
 * Why `part` is untested at `budget`, or null when one of its checks runs there and reaches it. A
 * reason given for this very budget wins even where a check runs: the check runs there without
 * reaching the part (figure-1's depth check runs 3 layers at standard, not 5).
 */
export function untestedReason(claim: Claim, part: Part, budget: Budget): string | null {
  const forBudget = typeof part.untested === 'object' ? part.untested[budget] : undefined;
  if (forBudget !== undefined) return forBudget;
  if (part.checks.some((name) => runsAt(claim, name, budget))) return null;
  const given = typeof part.untested === 'string' ? part.untested : undefined;
  return given ?? (part.checks.length === 0 ? 'no check tests it' : `its checks do not run at the ${budget} budget`);
}

/** Every part's status at `budget`, its verdict from `verdicts` (check name → verdict of the checks that ran). */
export function partStatuses(claim: Claim, budget: Budget, verdicts: ReadonlyMap<string, Verdict>): PartStatus[] {
  return partsOf(claim).map((p) => {
    const reason = claim.notRunReason ?? claim.notRunAt?.[budget] ?? untestedReason(claim, p, budget);
    const ran = p.checks.flatMap((name) => (verdicts.has(name) ? [verdicts.get(name)!] : []));
    return {
      id: p.id,
      statement: p.statement,
      checks: [...p.checks],
      tested: reason === null,
      reason,
      verdict: reason === null ? claimVerdict(ran, p.checks.filter((n) => runsAt(claim, n, budget)).length) : 'not-run',
    };
  });
}

/** The words a report gives a claim's verdict, given its parts at the budget. */
export function verdictLabel(verdict: ClaimVerdict, parts: readonly PartStatus[], conjecture: boolean): string {
  const tested = parts.filter((p) => p.tested).length;
  const inPart = tested < parts.length ? ` in part (${tested} of ${parts.length} parts tested)` : '';
  if (verdict === 'holds') return `${conjecture ? 'supported' : 'holds'}${inPart}`;
  if (verdict === 'violated' && conjecture) return 'not supported at the sizes tested';
  return verdict;
}
