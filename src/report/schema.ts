/**
 * The report.json schema, version 2, built from the shared vocabulary (src/core/vocabulary.ts) and
 * the audit's records (src/audit/records.ts). Every report rankcheck writes is validated against
 * it first, and `compare` / `merge` validate what they read; a version-1 report (before claims
 * named their sources and checks their margins) is read and upgraded. Numbers in a report are
 * finite or null: a non-finite value is a bug to be caught here, never a NaN shown to a reader.
 */
import { z } from 'zod';
import type { CheckRecord, FigureRecord, SentinelRecord } from '../audit/records.js';
import { BUDGETS, CHECK_KINDS, CLAIM_VERDICTS, VERDICTS } from '../core/vocabulary.js';
import { StabilitySummarySchema } from './stability-summary-schema.js';

export const SCHEMA_VERSION = 2;

const finite = z.number().finite();
const nullableFinite = finite.nullable();

export const BudgetSchema = z.enum(BUDGETS);
export const VerdictSchema = z.enum(VERDICTS);
export const ClaimVerdictSchema = z.enum(CLAIM_VERDICTS);
export const CheckKindSchema = z.enum(CHECK_KINDS);

export const ReplaySchema = z.object({ seed: z.number().int(), path: z.string().nullable() });

/** What ran a unit (absent in reports written before units carried it). */
export const RanOnSchema = z.object({
  evaluator: z.string(),
  tfjs: z.string().nullable(),
  trainer: z.literal('fused').optional(),
});

const DiscrepancyFields = {
  source: z.string(),
  quantity: z.string(),
  published: finite,
  recomputed: finite,
  interval: z.tuple([finite, finite]).nullable(),
  level: nullableFinite,
  cause: z.string(),
};

export const CheckSchema = z.object({
  name: z.string(),
  kind: CheckKindSchema,
  verdict: VerdictSchema,
  summary: z.string(),
  metrics: z.record(z.string(), nullableFinite),
  tolerances: z.record(z.string(), finite),
  ci: z.tuple([finite, finite]).nullable(),
  level: nullableFinite,
  margin: nullableFinite,
  witnesses: z.array(z.unknown()),
  // Absent in reports written before discrepancies were audited.
  discrepancies: z.array(z.object(DiscrepancyFields)).default([]),
  replay: ReplaySchema,
  durationMs: finite,
  ranOn: RanOnSchema.optional(),
  fingerprint: z.string().optional(),
  reused: z.array(z.string()).optional(),
}) satisfies z.ZodType<CheckRecord, unknown>;

/**
 * A discrepancy as the report lists it: which claim and check found it, the finding, the
 * relative difference (published − recomputed)/|recomputed| (null when recomputed is 0), and
 * whether the check confirmed it by simulation (its verdict "holds": the recomputation lies inside
 * the simulated interval and the published number outside that of its own weights); null for a
 * row that was not simulated (exact against exact).
 */
export const DiscrepancySchema = z.object({
  claim: z.string(),
  check: z.string(),
  ...DiscrepancyFields,
  relativeDifference: nullableFinite,
  confirmed: z.boolean().nullable(),
});

export const SeriesSchema = z.object({
  name: z.string(),
  group: z.string().optional(),
  style: z.enum(['line', 'points', 'rule']),
  points: z.array(z.object({ x: finite, y: finite, lo: finite.optional(), hi: finite.optional() })),
});

export const FigureSchema = z.object({
  id: z.string(),
  title: z.string(),
  caption: z.string(),
  xLabel: z.string(),
  yLabel: z.string(),
  xScale: z.enum(['linear', 'log']),
  yScale: z.enum(['linear', 'log']),
  series: z.array(SeriesSchema),
  discrepancy: z.boolean().optional(),
  durationMs: finite,
  ranOn: RanOnSchema.optional(),
  fingerprint: z.string().optional(),
  reused: z.array(z.string()).optional(),
}) satisfies z.ZodType<FigureRecord>;

const SourcesSchema = z.object({ proofNote: z.string(), code: z.array(z.string()), checks: z.string() });

/** A claim's stability as last measured for the budget (from the committed stability baseline). */
export const ClaimStabilitySchema = z.object({
  label: z.enum(['stable', 'flaky', 'blind', 'not-run']),
  seeds: z.number().int().nonnegative(),
  flakySeeds: z.array(z.number().int()),
  blindSeeds: z.array(z.number().int()),
  /** The claim's checks and sentinels at this budget that the measurement predates ("check X", "sentinel S@X"). */
  unmeasured: z.array(z.string()).default([]),
});

/** A part of a claim's statement at the report's budget: tested or not (with the reason), and its verdict. */
export const PartSchema = z.object({
  id: z.string(),
  statement: z.string(),
  checks: z.array(z.string()),
  tested: z.boolean(),
  reason: z.string().nullable(),
  verdict: ClaimVerdictSchema,
});

/** The paper's setting beside the budget's, and the paper's numbers beside ours (core/reach.ts). */
export const ReachSchema = z.object({
  rows: z.array(z.object({ quantity: z.string(), paper: z.string(), tested: z.string().nullable() })),
  numbers: z.array(
    z.object({
      label: z.string(),
      paper: finite,
      source: z.string(),
      check: z.string(),
      metric: z.string().nullable(),
      ours: nullableFinite,
      setting: z.enum(['same setting', 'scaled down']).nullable(),
    }),
  ),
});

export const ClaimSchema = z.object({
  id: z.string(),
  title: z.string(),
  paperRef: z.string(),
  statement: z.string(),
  /** True where the claim's exact form was reconstructed by us (the statement says how). */
  reconstructed: z.boolean(),
  /** Where its derivation, code and checks live (paths from the package root); null in upgraded version-1 reports. */
  sources: SourcesSchema.nullable(),
  verdict: ClaimVerdictSchema,
  /** The verdict in words, as far as it reaches: "holds in part (1 of 2 parts tested)", "supported" … (absent in older reports). */
  verdictLabel: z.string().optional(),
  /** The parts of its statement at this budget (empty in reports written before claims had parts). */
  parts: z.array(PartSchema).default([]),
  notRunReason: z.string().nullable(),
  /** The claim's headline number for the summary table. */
  keyResult: z.object({ label: z.string(), value: nullableFinite, text: z.string() }).nullable(),
  /** How sure the verdict is, in words (levels, cases, family-wise error). */
  confidence: z.string().nullable(),
  checks: z.array(CheckSchema),
  figures: z.array(FigureSchema),
  /** Its stability over root seeds as last measured (null: no baseline for this budget, or an upgraded version-1 report). */
  stability: ClaimStabilitySchema.nullable(),
  /** How far it reaches at this budget (null: not declared, or a report written before reach). */
  reach: ReachSchema.nullable().default(null),
});

export const SensitivitySchema = z.object({
  claim: z.string(),
  sentinel: z.string(),
  description: z.string(),
  check: z.string(),
  caught: z.boolean(),
  verdict: VerdictSchema,
  witness: z.unknown(),
  replay: ReplaySchema,
  durationMs: finite,
  ranOn: RanOnSchema.optional(),
  fingerprint: z.string().optional(),
  reused: z.array(z.string()).optional(),
}) satisfies z.ZodType<SentinelRecord>;

export const ProvenanceSchema = z.object({
  gitCommit: z.string().nullable(),
  dirty: z.boolean().nullable(),
  node: z.string(),
  platform: z.string(),
  cpus: z.number().int().positive(),
  /** Numerical backends: the float64 evaluator ("float64-wasm-simd" or "float64-js"), and the tfjs backend once training runs. */
  backend: z.string(),
  packages: z.record(z.string(), z.string()),
  seed: z.number().int().nonnegative(),
  budget: BudgetSchema,
  startedAt: z.string(),
  durationMs: finite,
  /** Set on the report of one shard of a sharded run. */
  shard: z.object({ index: z.number().int().positive(), count: z.number().int().positive() }).nullable(),
});

export const ReportSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  tool: z.object({ name: z.literal('rankcheck'), version: z.string() }),
  provenance: ProvenanceSchema,
  /** True while a run is incomplete (interrupted, or a shard); `completedUnits` says what is in. */
  partial: z.boolean(),
  completedUnits: z.array(z.string()),
  claims: z.array(ClaimSchema),
  sensitivity: z.array(SensitivitySchema),
  /** Findings about the paper's own computations: apart from the verdicts, never a violation of a claim. */
  discrepancies: z.array(DiscrepancySchema).default([]),
  /** The stability baseline the claims' stability comes from: when and at which commit it was measured, and its summary. */
  stability: z
    .object({
      measuredAt: z.string(),
      commit: z.string().nullable(),
      durationMs: finite,
      summary: StabilitySummarySchema,
    })
    .nullable(),
});

export type Report = z.infer<typeof ReportSchema>;
export type ClaimReport = z.infer<typeof ClaimSchema>;
export type CheckReport = z.infer<typeof CheckSchema>;
export type DiscrepancyReport = z.infer<typeof DiscrepancySchema>;
export type FigureReport = z.infer<typeof FigureSchema>;
export type SeriesReport = z.infer<typeof SeriesSchema>;
export type SensitivityReport = z.infer<typeof SensitivitySchema>;
export type Provenance = z.infer<typeof ProvenanceSchema>;

/** A version-1 report brought to version 2: claims without sources or stability, checks without margins. */
function upgradeV1(data: Record<string, unknown>): unknown {
  const claims = (data.claims as Record<string, unknown>[] | undefined)?.map((c) => ({
    sources: null,
    stability: null,
    ...c,
    checks: (c.checks as Record<string, unknown>[] | undefined)?.map((k) => ({ margin: null, ...k })),
  }));
  return { stability: null, ...data, schemaVersion: SCHEMA_VERSION, claims };
}

/** Validates a parsed report (upgrading a version-1 one); throws an Error whose message names the first problem's path. */
export function validateReport(data: unknown): Report {
  const input =
    typeof data === 'object' && data !== null && (data as { schemaVersion?: unknown }).schemaVersion === 1
      ? upgradeV1(data as Record<string, unknown>)
      : data;
  const parsed = ReportSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid report: ${issue.path.length ? issue.path.join('.') : 'top level'}: ${issue.message}`);
  }
  return parsed.data;
}
