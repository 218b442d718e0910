/**
 * The words every layer shares: budgets, verdicts, kinds of check, and the claim, check, sentinel
 * and figure interfaces. The report schema is built from these, never the other way round.
 * Claims compute; they never format output (a check returns a Template that core/format renders).
 */
import type { Template } from './format.js';

export const BUDGETS = ['quick', 'standard', 'paper'] as const;
export type Budget = (typeof BUDGETS)[number];

export const VERDICTS = ['holds', 'violated', 'inconclusive'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** A claim's verdict may also be "not-run" (no check of it ran at the budget). */
export const CLAIM_VERDICTS = [...VERDICTS, 'not-run'] as const;
export type ClaimVerdict = (typeof CLAIM_VERDICTS)[number];

/**
 * 'discrepancy' checks audit the paper's own computations (its released code against the exact
 * quantity): their findings are discrepancies, reported apart, and their verdicts ("confirmed" or
 * not) never enter a claim's verdict or an exit code. Every other kind decides the claim.
 */
export const CHECK_KINDS = ['exact', 'statistical', 'search', 'scaling', 'experiment', 'discrepancy'] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

/** True for the kinds whose verdicts make a claim's verdict (all but 'discrepancy'). */
export function decidesClaim(kind: CheckKind): boolean {
  return kind !== 'discrepancy';
}

/**
 * A finding about the paper's computations: a number as the paper's recipe computes it against
 * the quantity it stands for, recomputed. `interval` is an independent confidence interval for
 * the recomputed quantity (simulation), or null where none was run.
 */
export interface Discrepancy {
  /** Where the published computation comes from (a file of the released code, a figure). */
  source: string;
  /** What the number is meant to be, with its setting. */
  quantity: string;
  published: number;
  recomputed: number;
  interval: [number, number] | null;
  level: number | null;
  /** What makes the two differ, with each cause's measured effect. */
  cause: string;
}

export interface CheckContext {
  budget: Budget;
  /** The unit being run (for example "fact-1/check/hardmax-exact"). */
  unit: string;
  /** The seed this check runs with (derived from the run's seed and the check's unit id). */
  seed: number;
  /**
   * A seed shared by all the claim's checks, sentinels and figures (derived from the run's seed and
   * the claim's id), for expensive artifacts they share, such as trained models.
   */
  claimSeed: number;
  /** The run's own seed, for artifacts several claims share (the Section-7 trained models). */
  runSeed: number;
  /** fast-check shrink path to replay in this unit, given at the command line or test harness; else null. */
  replay: string | null;
  signal?: AbortSignal;
}

/**
 * How close a check's statistic came to flipping its verdict: positive on the side of the verdict
 * it gave, in the unit the check documents (CheckDef.margin), for the stability audit.
 */
export interface Margin {
  value: number;
}

/** What a check found, before the runner adds timing. */
export interface CheckOutcome {
  verdict: Verdict;
  /** One or two sentences for a reader, numbers as typed values (core/format renders them). */
  summary: Template;
  metrics: Record<string, number | null>;
  /** Relative tolerance per exact metric, for regression comparison. */
  tolerances?: Record<string, number>;
  ci?: [number, number] | null;
  level?: number | null;
  /** See CheckDef.margin; null when the check has no margin to report. */
  margin?: number | null;
  witnesses?: unknown[];
  /** fast-check's shrink path, for properties that failed. */
  path?: string | null;
  /** What a 'discrepancy' check found about the paper's computations. */
  discrepancies?: Discrepancy[];
}

/**
 * A check of a claim. `sentinels` names the deliberately broken variants this check must reject
 * (name → what is broken); `run` receives one of those names (or null for the real thing), so a
 * misspelt name is a type error where it is compared.
 */
export interface CheckDef<S extends string = string> {
  name: string;
  kind: CheckKind;
  /** What the check does, for `rankcheck list` and the report. */
  description: string;
  /** The budgets that run it, with a short note of its size at each (e.g. "25 cases × 20 000 samples"). */
  sizes: Partial<Record<Budget, string>>;
  /** The broken variants it must reject: name → what is broken. */
  sentinels: { readonly [K in S]: string };
  /** What `CheckOutcome.margin` measures, in words (its unit); absent when the check reports none. */
  margin?: string;
  /** True when the outcome cannot depend on the seed (exact checks, fixed reference data). */
  seedFree?: boolean;
  /**
   * True when the audit may run it on the side lane, a worker thread beside the trainings: it
   * computes mostly on one core and reads no cached result of a unit outside that lane, so the lane
   * changes none of its numbers (src/audit/lanes.ts).
   */
  sideLane?: boolean;
  run(ctx: CheckContext, sentinel: S | null): Promise<CheckOutcome> | CheckOutcome;
}

/** The same check or figure, marked to run on the audit's side lane (see CheckDef.sideLane). */
export function onSideLane<T extends CheckDef | FigureDef>(def: T): T {
  return { ...def, sideLane: true };
}

/** Declares a check, inferring its sentinel names from the keys of `sentinels`. */
export function defineCheck<S extends string = never>(def: CheckDef<S>): CheckDef<S> {
  return def;
}

/** A sentinel as the audit runs it: a name, what it breaks, and the check that must reject it. */
export interface SentinelRef {
  name: string;
  description: string;
  check: string;
}

/** Every sentinel of a claim's checks, in check order. */
export function claimSentinels(claim: Pick<Claim, 'checks'>): SentinelRef[] {
  return claim.checks.flatMap((c) =>
    Object.entries<string>(c.sentinels).map(([name, description]) => ({ name, description, check: c.name })),
  );
}

export interface FigurePoint {
  x: number;
  y: number;
  lo?: number;
  hi?: number;
}

export interface FigureSeries {
  name: string;
  /** Series sharing a group share a colour (e.g. a bound and the points it bounds, for one d). */
  group?: string;
  /** line: a curve; points: markers, with error bars when lo/hi are given; rule: a horizontal line. */
  style: 'line' | 'points' | 'rule';
  points: FigurePoint[];
}

/** What a figure's build computes; its id, title and caption come from the definition. */
export interface FigureBody {
  xLabel: string;
  yLabel: string;
  xScale: 'linear' | 'log';
  yScale: 'linear' | 'log';
  series: FigureSeries[];
}

export interface FigureDef {
  id: string;
  title: string;
  caption: string;
  budgets: readonly Budget[];
  /** True for a figure of a discrepancy audit: reports show it with the discrepancies, not with the claim's evidence. */
  discrepancy?: boolean;
  /**
   * True when the audit may run it on the side lane, a worker thread beside the trainings: it
   * computes mostly on one core and reads no cached result of a unit outside that lane, so the lane
   * changes none of its numbers (src/audit/lanes.ts).
   */
  sideLane?: boolean;
  build(ctx: CheckContext): Promise<FigureBody> | FigureBody;
}

export interface KeyResult {
  label: string;
  value: number | null;
  text: Template;
}

/** Where a claim's mathematics lives, as paths from the package root: one hop from a verdict to its derivation. */
export interface ClaimSources {
  proofNote: string;
  /** The library modules that compute it. */
  code: readonly string[];
  /** The file that declares its checks and sentinels. */
  checks: string;
}

/** What a claim's checks reported, as its key result reads them back. */
export interface CheckRecordView {
  name: string;
  metrics: Record<string, number | null>;
  witnesses: unknown[];
}

/**
 * One part of a claim's statement (a panel of a figure, one direction of a theorem, a quantifier):
 * the checks that test it, and why it is untested where none of them runs or there are none.
 */
export interface Part {
  id: string;
  statement: string;
  /** Names of the claim's checks that test this part (empty: no check tests it). */
  checks: readonly string[];
  /**
   * Why it is untested: one reason for every budget where its checks do not run, or one per budget,
   * which also marks it untested where a check runs without reaching it (a panel that budget skips).
   */
  untested?: string | Partial<Record<Budget, string>>;
}

/*
 * How far a claim's checks reach: the paper's setting beside the one a budget tests, and the
 * paper's own numbers beside ours (core/reach.ts states them for a run).
 */
/** One quantity of the paper's setting (d, N, layers, heads, copies, steps, seeds …) beside the budget's. */
export interface ReachRow {
  quantity: string;
  paper: string;
  /** What the budget tests; null where the claim's checks do not run at that budget. */
  tested: (budget: Budget) => string | null;
}

/** How near our measurement's setting is to the paper's. */
export type Nearness = 'same setting' | 'scaled down';

/** A number the paper reports, and the metric of ours that is nearest to it at a budget. */
export interface PaperNumber {
  label: string;
  paper: number;
  /** Where the paper's number comes from (its section or figure, or the authors' released code). */
  source: string;
  /** The check whose record holds our number. */
  check: string;
  /** Our metric key in that record at the budget, and how near its setting is (null: nothing comparable runs there). */
  ours: (budget: Budget) => { metric: string; setting: Nearness; transform?: (x: number) => number } | null;
}

export interface Reach {
  rows: readonly ReachRow[];
  numbers: readonly PaperNumber[];
}

export interface Claim {
  id: string;
  title: string;
  paperRef: string;
  statement: string;
  reconstructed: boolean;
  /** A conjecture: its verdicts read "supported" / "not supported at the sizes tested". */
  conjecture?: boolean;
  /** The parts of the statement; absent: one part, the whole statement, tested by every deciding check. */
  parts?: readonly Part[];
  sources: ClaimSources;
  /** Set when the claim's checks are not built yet: the claim is reported as "not-run" with this reason. */
  notRunReason?: string;
  /** Why no check runs at a budget (the claim is reported "not-run" there with this reason). */
  notRunAt?: Partial<Record<Budget, string>>;
  checks: readonly CheckDef[];
  figures: readonly FigureDef[];
  /** The paper's setting and numbers beside ours (absent: not declared). */
  reach?: Reach;
  /** The headline number of the claim (cheap); null while it has nothing to quote (an experiment not trained in this process). */
  keyResult?: (checks: readonly CheckRecordView[]) => KeyResult | null;
}

/** A claim whose checks are not built yet: listed, reported "not-run", never "holds". */
export function notBuiltClaim(c: Omit<Claim, 'checks' | 'figures' | 'notRunReason'> & { reason: string }): Claim {
  const { reason, ...rest } = c;
  return { ...rest, notRunReason: reason, checks: [], figures: [] };
}
