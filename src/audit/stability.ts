/**
 * The stability audit: the units of a budget run at many root seeds, and for every claim how
 * often each verdict came out, each check's pass rate and worst-seed margin, each sentinel's
 * catch count, and one label (stable, flaky, blind or not-run). A check whose outcome cannot
 * depend on the seed (CheckDef.seedFree: exact checks against fixed data) runs once, at the
 * first seed, and counts for every seed. Claim-agnostic: it takes claims as input.
 */
import { checkDefinitionDigest } from '../core/definition-digest.js';
import { claimVerdict } from '../core/verdicts.js';
import { decidesClaim, type Budget, type Claim, type ClaimVerdict, type Verdict } from '../core/vocabulary.js';
import type { RanOn, Replay, UnitResult } from './records.js';
import { unitsFor, type Unit } from './units.js';

/** A unit of the stability audit: one audit unit at one root seed. */
export interface StabilityUnit {
  /** "S:UNIT", e.g. "3:fact-1/check/hardmax-exact". */
  id: string;
  seed: number;
  unit: Extract<Unit, { kind: 'check' | 'sentinel' }>;
  /** Run once for every seed (its check is seed-free). */
  shared: boolean;
}

/** What the stability audit keeps of one unit's result. */
export interface StabilityRecord {
  id: string;
  seed: number;
  claim: string;
  kind: 'check' | 'sentinel';
  check: string;
  /** The sentinel's name, for sentinel units. */
  sentinel: string | null;
  verdict: Verdict;
  margin: number | null;
  /** A sentinel record: whether its check rejected it. */
  caught: boolean | null;
  shared: boolean;
  metrics: Record<string, number | null>;
  replay: Replay;
  durationMs: number;
  /** What ran it, and the digest of what it drew (absent in records written before units carried them). */
  ranOn?: RanOn;
  fingerprint?: string;
}

export const stabilityUnitId = (seed: number, unit: string) => `${seed}:${unit}`;

/** The stability units of these claims at these root seeds, seed by seed (figures are left out: they have no verdict). */
export function stabilityUnits(claims: readonly Claim[], budget: Budget, seeds: readonly number[]): StabilityUnit[] {
  const out: StabilityUnit[] = [];
  for (const [k, seed] of seeds.entries()) {
    for (const unit of unitsFor(claims, budget, seed)) {
      if (unit.kind === 'figure') continue;
      const shared = unit.check.seedFree === true;
      if (shared && k > 0) continue;
      out.push({ id: stabilityUnitId(seed, unit.id), seed, unit, shared });
    }
  }
  return out;
}

/**
 * Shard i of n (1-based) of the stability units: a contiguous block, so that a shard holds whole
 * seeds where it can and the trainings a seed's claims share are trained once per shard.
 */
export function shardStabilityUnits<T>(units: readonly T[], index: number, count: number): T[] {
  const from = Math.floor(((index - 1) * units.length) / count);
  const to = Math.floor((index * units.length) / count);
  return units.slice(from, to);
}

/** The record of a finished stability unit. */
export function stabilityRecord(u: StabilityUnit, r: UnitResult): StabilityRecord {
  const base = { id: u.id, seed: u.seed, claim: u.unit.claim.id, check: u.unit.check.name, shared: u.shared };
  if (r.kind === 'check') {
    const c = r.check;
    return {
      ...base,
      kind: 'check',
      sentinel: null,
      verdict: c.verdict,
      margin: c.margin,
      caught: null,
      metrics: c.metrics,
      replay: c.replay,
      durationMs: c.durationMs,
      ...(c.ranOn ? { ranOn: c.ranOn } : {}),
      ...(c.fingerprint ? { fingerprint: c.fingerprint } : {}),
    };
  }
  if (r.kind === 'sentinel') {
    const s = r.sentinel;
    return {
      ...base,
      kind: 'sentinel',
      sentinel: s.sentinel,
      verdict: s.verdict,
      margin: null,
      caught: s.caught,
      metrics: {},
      replay: s.replay,
      durationMs: s.durationMs,
      ...(s.ranOn ? { ranOn: s.ranOn } : {}),
      ...(s.fingerprint ? { fingerprint: s.fingerprint } : {}),
    };
  }
  throw new Error(`stability units have no figures (${u.id})`);
}

export type StabilityLabel = 'stable' | 'flaky' | 'blind' | 'not-run';

export interface CheckStability {
  name: string;
  /** Share of the seeds at which it held. */
  passRate: number;
  /** The smallest margin over the seeds (in the check's own unit); null when it reports none. */
  worstMargin: number | null;
  /** What the margin measures. */
  marginUnit: string | null;
  /** Seeds at which it held, was violated, was inconclusive. */
  verdicts: Record<Verdict, number>;
  /** Run once for every seed. */
  seedFree: boolean;
  /** Its margin at each seed, in seed order (null: no margin, or not yet run). */
  margins: (number | null)[];
  /** checkDefinitionDigest of the check as measured (absent in measurements older than the digest). */
  definition?: string;
}

export interface SentinelStability {
  name: string;
  check: string;
  caught: number;
  of: number;
}

export interface ClaimStability {
  id: string;
  label: StabilityLabel;
  verdicts: Record<ClaimVerdict, number>;
  /** The seeds whose verdict differs from the most common one. */
  flakySeeds: number[];
  /** Seeds at which some sentinel was missed. */
  blindSeeds: number[];
  checks: CheckStability[];
  sentinels: SentinelStability[];
}

export interface StabilitySummary {
  budget: Budget;
  seeds: number[];
  claims: ClaimStability[];
  /** True when every unit of every seed is in. */
  complete: boolean;
}

const zeroVerdicts = (): Record<Verdict, number> => ({ holds: 0, violated: 0, inconclusive: 0 });

/**
 * The summary of stability records: per seed, a claim's verdict by the audit's own rules from its
 * checks' verdicts at that seed (a seed-free check's one verdict counts at every seed); the label
 * is flaky when the verdicts differ between seeds, else blind when a sentinel was missed at some
 * seed, else stable; not-run when no check of the claim runs at the budget.
 */
export function summariseStability(
  claims: readonly Claim[],
  budget: Budget,
  seeds: readonly number[],
  records: readonly StabilityRecord[],
): StabilitySummary {
  const expected = stabilityUnits(claims, budget, seeds);
  const have = new Set(records.map((r) => r.id));
  const complete = expected.every((u) => have.has(u.id));
  const find = (seed: number, claim: string, kind: 'check' | 'sentinel', check: string, sentinel: string | null) =>
    records.find(
      (r) =>
        r.claim === claim &&
        r.kind === kind &&
        r.check === check &&
        r.sentinel === sentinel &&
        (r.shared || r.seed === seed),
    );
  const out: ClaimStability[] = claims.map((claim) => {
    const units = unitsFor([claim], budget, seeds[0] ?? 0).filter((u) => u.kind !== 'figure');
    const checks = claim.checks.filter((c) => c.sizes[budget] !== undefined);
    const verdicts: Record<ClaimVerdict, number> = { holds: 0, violated: 0, inconclusive: 0, 'not-run': 0 };
    if (claim.notRunReason || checks.length === 0) {
      verdicts['not-run'] = seeds.length;
      return { id: claim.id, label: 'not-run', verdicts, flakySeeds: [], blindSeeds: [], checks: [], sentinels: [] };
    }
    // A seed whose checks have not all finished (an interrupted run) counts as not-run, not as a
    // different verdict: it cannot make a claim flaky.
    const deciding = checks.filter((c) => decidesClaim(c.kind));
    const finished = seeds.map((seed) => checks.every((c) => find(seed, claim.id, 'check', c.name, null)));
    const perSeed: ClaimVerdict[] = seeds.map((seed, k) =>
      finished[k]
        ? claimVerdict(
            deciding.flatMap((c) => find(seed, claim.id, 'check', c.name, null)?.verdict ?? []),
            deciding.length,
          )
        : 'not-run',
    );
    for (const v of perSeed) verdicts[v]++;
    const ran = perSeed.filter((_, k) => finished[k]);
    const common = mostCommon(ran);
    // A discrepancy check does not decide the claim, but a finding that comes and goes with the seed is flaky too.
    const auditVerdicts = checks
      .filter((c) => !decidesClaim(c.kind))
      .map((c) => seeds.map((seed) => find(seed, claim.id, 'check', c.name, null)?.verdict));
    const auditCommon = auditVerdicts.map((vs) => mostCommon(vs.filter((v): v is Verdict => v !== undefined)));
    const flakySeeds = seeds.filter(
      (_, k) => finished[k] && (perSeed[k] !== common || auditVerdicts.some((vs, a) => vs[k] !== auditCommon[a])),
    );
    const sentinelUnits = units.filter((u): u is Extract<Unit, { kind: 'sentinel' }> => u.kind === 'sentinel');
    const sentinels = sentinelUnits.map((u) => {
      const caught = seeds.filter(
        (seed) => find(seed, claim.id, 'sentinel', u.check.name, u.sentinel.name)?.caught === true,
      ).length;
      return { name: u.sentinel.name, check: u.check.name, caught, of: seeds.length };
    });
    const blindSeeds = seeds.filter((seed) =>
      sentinelUnits.some((u) => find(seed, claim.id, 'sentinel', u.check.name, u.sentinel.name)?.caught === false),
    );
    const checkStats: CheckStability[] = checks.map((c) => {
      const at = seeds.map((seed) => find(seed, claim.id, 'check', c.name, null));
      const counts = zeroVerdicts();
      for (const r of at) if (r) counts[r.verdict]++;
      const margins = at.map((r) => r?.margin ?? null);
      const known = margins.filter((m): m is number => m !== null);
      return {
        name: c.name,
        passRate: seeds.length ? counts.holds / seeds.length : 0,
        worstMargin: known.length ? Math.min(...known) : null,
        marginUnit: c.margin ?? null,
        verdicts: counts,
        seedFree: c.seedFree === true,
        margins,
        definition: checkDefinitionDigest(c, budget),
      };
    });
    const label: StabilityLabel = flakySeeds.length > 0 ? 'flaky' : blindSeeds.length > 0 ? 'blind' : 'stable';
    return { id: claim.id, label, verdicts, flakySeeds, blindSeeds, checks: checkStats, sentinels };
  });
  return { budget, seeds: [...seeds], claims: out, complete };
}

/**
 * The verdict given most often among holds, violated and inconclusive (ties: the earlier of the
 * first value and that order); holds for none.
 */
function mostCommon<V extends ClaimVerdict>(vs: readonly V[]): V | 'holds' {
  const n = (v: ClaimVerdict) => vs.filter((x) => x === v).length;
  return (['holds', 'violated', 'inconclusive'] as const).reduce<V | 'holds'>(
    (a, v) => (n(v) > n(a) ? (v as V) : a),
    vs[0] ?? 'holds',
  );
}

/** Exit code of a stability audit: 0 when every claim is stable or not-run, 1 otherwise. */
export function stabilityExitCode(s: StabilitySummary): number {
  return s.claims.every((c) => c.label === 'stable' || c.label === 'not-run') ? 0 : 1;
}
