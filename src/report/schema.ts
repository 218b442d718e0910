/**
 * The report.json schema, version 1. Every report rankcheck writes is validated against it first,
 * and `compare` / `merge` validate what they read. Numbers in a report are finite or null: a
 * non-finite value is a bug to be caught here, never a NaN shown to a reader.
 */
import { z } from 'zod';

export const SCHEMA_VERSION = 1;

const finite = z.number().finite();
const nullableFinite = finite.nullable();

export const BudgetSchema = z.enum(['quick', 'standard', 'paper']);
export const VerdictSchema = z.enum(['holds', 'violated', 'inconclusive']);
export const ClaimVerdictSchema = z.enum(['holds', 'violated', 'inconclusive', 'not-run']);
export const CheckKindSchema = z.enum(['exact', 'statistical', 'search', 'scaling', 'experiment']);

export const ReplaySchema = z.object({
  /** The seed the check ran with (fast-check's seed for properties). */
  seed: z.number().int(),
  /** fast-check's shrink path of the reported counterexample, when there is one. */
  path: z.string().nullable(),
});

export const CheckSchema = z.object({
  name: z.string(),
  kind: CheckKindSchema,
  verdict: VerdictSchema,
  /** One sentence a reader understands: what was checked and what came out. */
  summary: z.string(),
  metrics: z.record(z.string(), nullableFinite),
  /** Relative tolerances of exact metrics, used by `compare`. */
  tolerances: z.record(z.string(), finite),
  ci: z.tuple([finite, finite]).nullable(),
  level: nullableFinite,
  witnesses: z.array(z.unknown()),
  replay: ReplaySchema,
  durationMs: finite,
});

export const SeriesSchema = z.object({
  name: z.string(),
  /** Series sharing a group share a colour (e.g. a bound and the points it bounds, for one d). */
  group: z.string().optional(),
  /** line: a curve; points: markers, with error bars when lo/hi are given; rule: a horizontal line. */
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
  durationMs: finite,
});

export const ClaimSchema = z.object({
  id: z.string(),
  title: z.string(),
  paperRef: z.string(),
  statement: z.string(),
  /** True where the claim's exact form was reconstructed by us (the statement says how). */
  reconstructed: z.boolean(),
  verdict: ClaimVerdictSchema,
  notRunReason: z.string().nullable(),
  /** The claim's headline number for the summary table. */
  keyResult: z.object({ label: z.string(), value: nullableFinite, text: z.string() }).nullable(),
  /** How sure the verdict is, in words (levels, cases, family-wise error). */
  confidence: z.string().nullable(),
  checks: z.array(CheckSchema),
  figures: z.array(FigureSchema),
});

export const SensitivitySchema = z.object({
  claim: z.string(),
  sentinel: z.string(),
  description: z.string(),
  check: z.string(),
  /** A sentinel is caught when its check returns "violated" on it. */
  caught: z.boolean(),
  verdict: VerdictSchema,
  witness: z.unknown(),
  replay: ReplaySchema,
  durationMs: finite,
});

export const ProvenanceSchema = z.object({
  gitCommit: z.string().nullable(),
  dirty: z.boolean().nullable(),
  node: z.string(),
  platform: z.string(),
  cpus: z.number().int().positive(),
  /** Numerical backend: "float64-js" for the exact code; the tfjs backend once training runs. */
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
});

export type Report = z.infer<typeof ReportSchema>;
export type ClaimReport = z.infer<typeof ClaimSchema>;
export type CheckReport = z.infer<typeof CheckSchema>;
export type FigureReport = z.infer<typeof FigureSchema>;
export type SeriesReport = z.infer<typeof SeriesSchema>;
export type SensitivityReport = z.infer<typeof SensitivitySchema>;
export type Provenance = z.infer<typeof ProvenanceSchema>;
export type Budget = z.infer<typeof BudgetSchema>;
export type Verdict = z.infer<typeof VerdictSchema>;
export type ClaimVerdict = z.infer<typeof ClaimVerdictSchema>;
export type CheckKind = z.infer<typeof CheckKindSchema>;

/** Validates a parsed report; throws an Error whose message names the first problem's path. */
export function validateReport(data: unknown): Report {
  const parsed = ReportSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid report: ${issue.path.length ? issue.path.join('.') : 'top level'}: ${issue.message}`);
  }
  return parsed.data;
}
