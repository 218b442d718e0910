/**
 * Builds a report from unit results: pure and deterministic, so that an interrupted run resumed,
 * and shards merged, give the same report as one uninterrupted run. Also the inverse: the unit
 * results a report contains (for resume, merge and the stability audit).
 */
import type { RanOn, UnitResult } from '../audit/records.js';
import type { ClaimStability, StabilitySummary } from '../audit/stability.js';
import { checkUnitId, figureUnitId, sentinelUnitId } from '../audit/units.js';
import { level as levelOf, render, text, type Template } from '../core/format.js';
import { checkDefinitionDigest } from '../core/definition-digest.js';
import { runScopedCache } from '../core/run-cache.js';
import { partStatuses, verdictLabel } from '../core/parts.js';
import { reachAt } from '../core/reach.js';
import { claimVerdict } from '../core/verdicts.js';
import { claimSentinels, decidesClaim, type Budget, type Claim } from '../core/vocabulary.js';
import { backendLabel } from './backend-label.js';
import {
  SCHEMA_VERSION,
  validateReport,
  type CheckReport,
  type ClaimReport,
  type DiscrepancyReport,
  type Provenance,
  type Report,
} from './schema.js';

export interface AssembleInput {
  toolVersion: string;
  /** Its `backend` names the backends of units recorded before units carried what ran them (see backendLabel). */
  provenance: Provenance;
  /** The claims the run covers, in report order. */
  claims: readonly Claim[];
  /** Every unit the full (unsharded, uninterrupted) run would have. */
  expectedUnits: readonly string[];
  results: readonly UnitResult[];
  /** The stability baseline of this budget, if one was measured: each claim's label comes from it. */
  stability?: StabilityBaseline | null;
}

/** What a report keeps of a stability baseline. */
export interface StabilityBaseline {
  measuredAt: string;
  commit: string | null;
  durationMs: number;
  summary: StabilitySummary;
}

/** The baseline part of a stability file (for verify reports). */
export function stabilityBaseline(f: {
  provenance: { startedAt: string; gitCommit: string | null; durationMs: number };
  summary: StabilitySummary;
}): StabilityBaseline {
  return {
    measuredAt: f.provenance.startedAt,
    commit: f.provenance.gitCommit,
    durationMs: f.provenance.durationMs,
    summary: f.summary,
  };
}

/** The report for these results, validated against the schema. */
export function assembleReport(input: AssembleInput): Report {
  const byId = new Map(input.results.map((r) => [r.id, r]));
  const expected = new Set(input.expectedUnits);
  const completed = input.expectedUnits.filter((id) => byId.has(id));
  const baseline =
    input.stability && input.stability.summary.budget === input.provenance.budget ? input.stability : null;
  const claims = input.claims.map((claim) => {
    const c = claimReport(claim, byId, expected, input.provenance.budget);
    const st = baseline?.summary.claims.find((x) => x.id === claim.id);
    return {
      ...c,
      stability: st
        ? {
            label: st.label,
            seeds: baseline!.summary.seeds.length,
            flakySeeds: st.flakySeeds,
            blindSeeds: st.blindSeeds,
            unmeasured: unmeasuredUnits(claim, st, expected, input.provenance.budget),
          }
        : null,
    };
  });
  const sensitivity = input.claims.flatMap((claim) =>
    claimSentinels(claim).flatMap((s) => {
      const r = byId.get(sentinelUnitId(claim.id, s.name, s.check));
      return r && r.kind === 'sentinel' ? [r.sentinel] : [];
    }),
  );
  return validateReport({
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'rankcheck', version: input.toolVersion },
    provenance: { ...input.provenance, backend: backendLabel(input.results.map(ranOnOf), input.provenance.backend) },
    partial: completed.length < input.expectedUnits.length,
    completedUnits: completed,
    claims,
    sensitivity,
    discrepancies: claims.flatMap(discrepanciesOf),
    stability: baseline,
  });
}

/**
 * The claim's checks and sentinels expected at this budget that a stability measurement does not
 * hold (it predates them), or holds under a definition that has changed since: its label then
 * says nothing about them, and the report says so.
 */
function unmeasuredUnits(claim: Claim, st: ClaimStability, expected: ReadonlySet<string>, budget: Budget): string[] {
  const measured = new Map(st.checks.map((c) => [c.name, c.definition]));
  const sentinels = new Set(st.sentinels.map((s) => `${s.name}@${s.check}`));
  return [
    ...claim.checks
      .filter((c) => expected.has(checkUnitId(claim.id, c.name)))
      .flatMap((c) => {
        if (!measured.has(c.name)) return [`check ${c.name}`];
        const then = measured.get(c.name);
        return then !== undefined && then !== checkDefinitionDigest(c, budget)
          ? [`check ${c.name} (changed since)`]
          : [];
      }),
    ...claimSentinels(claim)
      .filter((s) => expected.has(sentinelUnitId(claim.id, s.name, s.check)) && !sentinels.has(`${s.name}@${s.check}`))
      .map((s) => `sentinel ${s.name}@${s.check}`),
  ];
}

/** The findings of a claim's discrepancy checks, in check order. */
function discrepanciesOf(claim: Omit<ClaimReport, 'stability'>): DiscrepancyReport[] {
  return claim.checks.flatMap((c) =>
    c.discrepancies.map((x) => ({
      claim: claim.id,
      check: c.name,
      ...x,
      relativeDifference: x.recomputed !== 0 ? (x.published - x.recomputed) / Math.abs(x.recomputed) : null,
      confirmed: x.interval === null ? null : c.verdict === 'holds',
    })),
  );
}

function claimReport(
  claim: Claim,
  byId: Map<string, UnitResult>,
  expected: Set<string>,
  budget: Budget,
): Omit<ClaimReport, 'stability'> {
  const base = {
    id: claim.id,
    title: claim.title,
    paperRef: claim.paperRef,
    statement: claim.statement,
    reconstructed: claim.reconstructed,
    sources: { ...claim.sources, code: [...claim.sources.code] },
  };
  if (claim.notRunReason) {
    const parts = partStatuses(claim, budget, new Map());
    return {
      ...base,
      verdict: 'not-run',
      verdictLabel: verdictLabel('not-run', parts, claim.conjecture === true),
      parts,
      notRunReason: claim.notRunReason,
      keyResult: null,
      confidence: null,
      checks: [],
      figures: [],
      reach: reachOf(claim, budget, []),
    };
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
  const declared = claimSentinels(claim);
  const sentinels = declared.flatMap((s) => {
    const r = byId.get(sentinelUnitId(claim.id, s.name, s.check));
    return r?.kind === 'sentinel' ? [r.sentinel] : [];
  });
  // Discrepancy checks audit the paper's computations: they never decide the claim.
  const deciding = claim.checks.filter((c) => decidesClaim(c.kind) && expected.has(checkUnitId(claim.id, c.name)));
  const decided = checks.filter((c) => decidesClaim(c.kind));
  const verdict = claimVerdict(
    decided.map((c) => c.verdict),
    deciding.length,
  );
  const notRunReason =
    verdict !== 'not-run'
      ? null
      : checkIds.length === 0
        ? (claim.notRunAt?.[budget] ?? 'no check of this claim runs at this budget')
        : 'none of its checks ran in this (partial or sharded) run';
  const caught = sentinels.filter((s) => s.caught).length;
  const confidence =
    checks.length === 0
      ? null
      : render(confidenceOf(decided, deciding.length, caught, declared.length, sentinels.length));
  const parts = partStatuses(claim, budget, new Map(checks.map((c) => [c.name, c.verdict])));
  return {
    ...base,
    verdict,
    verdictLabel: verdictLabel(verdict, parts, claim.conjecture === true),
    parts,
    notRunReason,
    keyResult: keyResultOf(claim, checks),
    confidence,
    checks,
    figures,
    reach: reachOf(claim, budget, checks),
  };
}

/** The claim's reach at the budget, our numbers read from the checks that ran (null: none declared). */
function reachOf(claim: Claim, budget: Budget, checks: readonly CheckReport[]): ClaimReport['reach'] {
  if (!claim.reach) return null;
  return reachAt(claim.reach, budget, (check, metric) => checks.find((c) => c.name === check)?.metrics[metric] ?? null);
}

function confidenceOf(
  checks: readonly CheckReport[],
  expected: number,
  caught: number,
  declared: number,
  ran: number,
): Template {
  const statistical = checks.filter((c) => c.kind === 'statistical');
  const levels = [...new Set(statistical.map((c) => c.level).filter((l): l is number => l !== null))];
  const how =
    statistical.length > 0
      ? text`${statistical.length} statistical${levels.length ? text` at per-case level ${levels.map(levelOf)}` : ''}`
      : checks.some((c) => c.kind === 'experiment')
        ? text`trained models, scored exactly (95% intervals where sampled)`
        : text`all exact or deterministic`;
  return text`${checks.filter((c) => c.verdict === 'holds').length} of ${expected} checks hold; ${how}; ${caught} of ${declared} sentinels caught${ran < declared ? text` (${ran} ran)` : ''}`;
}

// Reports are reassembled after every unit: a claim's headline number is computed once per run.
const keyResults = runScopedCache<string, ClaimReport['keyResult']>();

/** The claim's headline number, computed once per run. */
function keyResultOf(claim: Claim, checks: readonly CheckReport[]): ClaimReport['keyResult'] {
  if (!claim.keyResult) return null;
  let k = keyResults.get(claim.id);
  if (k === undefined) {
    const r = claim.keyResult(checks);
    // A key result quoting a measurement (the experiment claims) is null until its check is in the report: ask again later.
    if (r === null) return null;
    k = { label: r.label, value: r.value !== null && Number.isFinite(r.value) ? r.value : null, text: render(r.text) };
    keyResults.set(claim.id, k);
  }
  return k;
}

/** What ran a unit, as its record says. */
function ranOnOf(r: UnitResult): RanOn | undefined {
  return r.kind === 'check' ? r.check.ranOn : r.kind === 'sentinel' ? r.sentinel.ranOn : r.figure.ranOn;
}

/** The unit results recorded in a report (inverse of assembleReport for its completed units). */
export function unitResultsOf(report: Report): UnitResult[] {
  const results: UnitResult[] = [];
  for (const c of report.claims) {
    for (const check of c.checks)
      results.push({ id: checkUnitId(c.id, check.name), kind: 'check', claim: c.id, check });
    for (const figure of c.figures)
      results.push({ id: figureUnitId(c.id, figure.id), kind: 'figure', claim: c.id, figure });
  }
  for (const s of report.sensitivity)
    results.push({ id: sentinelUnitId(s.claim, s.sentinel, s.check), kind: 'sentinel', claim: s.claim, sentinel: s });
  return results;
}
