/**
 * Builds a report from unit results: pure and deterministic, so that an interrupted run resumed,
 * and shards merged, give the same report as one uninterrupted run. Also the inverse: the unit
 * results a report contains (for resume and merge).
 */
import type { UnitResult } from '../claims/runner.js';
import type { Budget, Claim } from '../claims/types.js';
import { checkUnitId, figureUnitId, sentinelUnitId } from '../claims/units.js';
import { SCHEMA_VERSION, validateReport, type CheckReport, type ClaimReport, type ClaimVerdict, type Provenance, type Report } from './schema.js';

export interface AssembleInput {
  toolVersion: string;
  provenance: Provenance;
  /** The claims the run covers, in report order. */
  claims: readonly Claim[];
  /** Every unit the full (unsharded, uninterrupted) run would have. */
  expectedUnits: readonly string[];
  results: readonly UnitResult[];
}

/** The report for these results, validated against the schema. */
export function assembleReport(input: AssembleInput): Report {
  const byId = new Map(input.results.map((r) => [r.id, r]));
  const expected = new Set(input.expectedUnits);
  const completed = input.expectedUnits.filter((id) => byId.has(id));
  const claims = input.claims.map((claim) => claimReport(claim, byId, expected, input.provenance.budget));
  const sensitivity = input.claims.flatMap((claim) =>
    claim.sentinels.flatMap((s) => {
      const r = byId.get(sentinelUnitId(claim.id, s.name, s.check));
      return r && r.kind === 'sentinel' ? [r.sentinel] : [];
    }),
  );
  return validateReport({
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'rankcheck', version: input.toolVersion },
    provenance: input.provenance,
    partial: completed.length < input.expectedUnits.length,
    completedUnits: completed,
    claims,
    sensitivity,
  });
}

function claimReport(claim: Claim, byId: Map<string, UnitResult>, expected: Set<string>, budget: Budget): ClaimReport {
  const base = { id: claim.id, title: claim.title, paperRef: claim.paperRef, statement: claim.statement, reconstructed: claim.reconstructed };
  if (claim.notRunReason) {
    return { ...base, verdict: 'not-run', notRunReason: claim.notRunReason, keyResult: null, confidence: null, checks: [], figures: [] };
  }
  const checkIds = claim.checks.map((c) => checkUnitId(claim.id, c.name)).filter((id) => expected.has(id));
  const checks = checkIds.flatMap((id) => {
    const r = byId.get(id);
    return r && r.kind === 'check' ? [r.check] : [];
  });
  const figures = claim.figures.flatMap((f) => {
    const r = byId.get(figureUnitId(claim.id, f.id));
    return r && r.kind === 'figure' ? [r.figure] : [];
  });
  const sentinels = claim.sentinels.map((s) => byId.get(sentinelUnitId(claim.id, s.name, s.check))).filter((r) => r?.kind === 'sentinel');
  const caught = sentinels.filter((r) => r?.kind === 'sentinel' && r.sentinel.caught).length;
  let verdict: ClaimVerdict;
  let notRunReason: string | null = null;
  if (checkIds.length === 0) {
    verdict = 'not-run';
    notRunReason = claim.notRunAt?.[budget] ?? 'no check of this claim runs at this budget';
  } else if (checks.length === 0) {
    verdict = 'not-run';
    notRunReason = 'none of its checks ran in this (partial or sharded) run';
  } else if (checks.some((c) => c.verdict === 'violated')) {
    verdict = 'violated';
  } else if (checks.some((c) => c.verdict === 'inconclusive') || checks.length < checkIds.length) {
    // "holds" needs every check of the budget; a partial set of passing checks is not enough.
    verdict = 'inconclusive';
  } else {
    verdict = 'holds';
  }
  const statistical = checks.filter((c) => c.kind === 'statistical');
  const levels = [...new Set(statistical.map((c) => c.level).filter((l): l is number => l !== null))];
  const confidence =
    checks.length === 0
      ? null
      : [
          `${checks.filter((c) => c.verdict === 'holds').length} of ${checkIds.length} checks hold`,
          statistical.length > 0
            ? `${statistical.length} statistical${levels.length ? ` at per-case level ${levels.map((l) => `1 − ${(1 - l).toExponential(0)}`).join(', ')}` : ''}`
            : checks.some((c) => c.kind === 'experiment')
              ? 'trained models, scored exactly (95% intervals where sampled)'
              : 'all exact or deterministic',
          `${caught} of ${claim.sentinels.length} sentinels caught${sentinels.length < claim.sentinels.length ? ` (${sentinels.length} ran)` : ''}`,
        ].join('; ');
  return { ...base, verdict, notRunReason, keyResult: keyResultOf(claim, checks), confidence, checks, figures };
}

const keyResults = new WeakMap<Claim, ClaimReport['keyResult']>();

/** The claim's headline number, computed once per process (reports are reassembled after every unit). */
function keyResultOf(claim: Claim, checks: readonly CheckReport[]): ClaimReport['keyResult'] {
  if (!claim.keyResult) return null;
  let k = keyResults.get(claim);
  if (k === undefined) {
    const r = claim.keyResult(checks);
    // A key result quoting a measurement (the experiment claims) is null until its check is in the report: ask again later.
    if (r === null) return null;
    k = { ...r, value: r.value !== null && Number.isFinite(r.value) ? r.value : null };
    keyResults.set(claim, k);
  }
  return k;
}

/** The unit results recorded in a report (inverse of assembleReport for its completed units). */
export function unitResultsOf(report: Report): UnitResult[] {
  const results: UnitResult[] = [];
  for (const c of report.claims) {
    for (const check of c.checks) results.push({ id: checkUnitId(c.id, check.name), kind: 'check', claim: c.id, check });
    for (const figure of c.figures) results.push({ id: figureUnitId(c.id, figure.id), kind: 'figure', claim: c.id, figure });
  }
  for (const s of report.sensitivity) results.push({ id: sentinelUnitId(s.claim, s.sentinel, s.check), kind: 'sentinel', claim: s.claim, sentinel: s });
  return results;
}
