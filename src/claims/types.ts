/**
 * The claim abstraction: a paper claim, the checks that test it at each budget, the sentinels
 * (deliberately broken variants) those checks must reject, and the figures that show it.
 * Claims compute; they never format output (src/report does that).
 */
import type { Budget, CheckKind, CheckReport, FigureReport, Verdict } from '../report/schema.js';

export type { Budget, CheckKind, Verdict };

export const BUDGETS: readonly Budget[] = ['quick', 'standard', 'paper'];

export interface CheckContext {
  budget: Budget;
  /** The seed this check runs with (derived from the run's seed and the check's name). */
  seed: number;
  /**
   * A seed shared by all the claim's checks, sentinels and figures (derived from the run's seed and
   * the claim's id), for expensive artifacts they share, such as trained models; defaults to `seed`.
   */
  claimSeed?: number;
  /** The run's own seed, for artifacts several claims share (the Section-7 trained models); default 0. */
  runSeed?: number;
  signal?: AbortSignal;
}

/** What a check found, before the runner adds timing. */
export interface CheckOutcome {
  verdict: Verdict;
  summary: string;
  metrics: Record<string, number | null>;
  /** Relative tolerance per exact metric, for regression comparison. */
  tolerances?: Record<string, number>;
  ci?: [number, number] | null;
  level?: number | null;
  witnesses?: unknown[];
  /** fast-check's shrink path, for properties that failed. */
  path?: string | null;
}

export interface CheckDef {
  name: string;
  kind: CheckKind;
  /** What the check does, for `rankcheck list` and the report. */
  description: string;
  /** The budgets that run it, with a short note of its size at each (e.g. "25 cases × 20 000 samples"). */
  sizes: Partial<Record<Budget, string>>;
  /** Runs the check; `variant` names a sentinel to run it against instead of the real thing. */
  run(ctx: CheckContext, variant: string | null): Promise<CheckOutcome> | CheckOutcome;
}

export interface SentinelDef {
  name: string;
  description: string;
  /** The check that must reject it (return "violated"). */
  check: string;
}

/** What a figure's build computes; its id, title and caption come from the definition. */
export type FigureBody = Omit<FigureReport, 'id' | 'title' | 'caption' | 'durationMs'>;

export interface FigureDef {
  id: string;
  title: string;
  caption: string;
  budgets: readonly Budget[];
  build(ctx: CheckContext): Promise<FigureBody> | FigureBody;
}

export interface KeyResult {
  label: string;
  value: number | null;
  text: string;
}

export interface Claim {
  id: string;
  title: string;
  paperRef: string;
  statement: string;
  reconstructed: boolean;
  /** Set when the claim's checks are not built yet: the claim is reported as "not-run" with this reason. */
  notRunReason?: string;
  /** Why no check runs at a budget (the claim is reported "not-run" there with this reason). */
  notRunAt?: Partial<Record<Budget, string>>;
  checks: CheckDef[];
  sentinels: SentinelDef[];
  figures: FigureDef[];
  /** The headline number of the claim (cheap and deterministic); null while it has nothing to quote (an experiment not trained in this process). */
  keyResult?: (checks: readonly CheckReport[]) => KeyResult | null;
}

/** A claim whose checks are not built yet: listed, reported "not-run", never "holds". */
export function notBuiltClaim(c: Pick<Claim, 'id' | 'title' | 'paperRef' | 'statement' | 'reconstructed'> & { reason: string }): Claim {
  return { ...c, notRunReason: c.reason, checks: [], sentinels: [], figures: [] };
}

/** The seed of artifacts a claim's checks, sentinels and figures share (the claim seed when the runner gives one). */
export const sharedSeed = (ctx: CheckContext): number => ctx.claimSeed ?? ctx.seed;

/** The verdict of several parts: any violated wins, then any inconclusive, else holds. */
export function combineVerdicts(vs: readonly Verdict[]): Verdict {
  return vs.includes('violated') ? 'violated' : vs.includes('inconclusive') ? 'inconclusive' : 'holds';
}
