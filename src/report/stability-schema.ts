/**
 * stability.json, version 1: what a stability audit ran (every unit's record at every seed) and
 * what it found (the summary), with the provenance of the run. `rankcheck stability` writes it,
 * `--resume` and `merge` read it back, and a committed copy (reports/baseline/stability-BUDGET.json)
 * is what `verify` reports show as each claim's measured stability.
 */
import { z } from 'zod';
import type { StabilityRecord, StabilitySummary } from '../audit/stability.js';
import { BudgetSchema, ProvenanceSchema, VerdictSchema } from './schema.js';

export const STABILITY_SCHEMA_VERSION = 1;

const finite = z.number().finite();
const verdictCounts = z.object({ holds: z.number().int(), violated: z.number().int(), inconclusive: z.number().int() });

const RecordSchema = z.object({
  id: z.string(),
  seed: z.number().int().nonnegative(),
  claim: z.string(),
  kind: z.enum(['check', 'sentinel']),
  check: z.string(),
  sentinel: z.string().nullable(),
  verdict: VerdictSchema,
  margin: finite.nullable(),
  caught: z.boolean().nullable(),
  shared: z.boolean(),
  metrics: z.record(z.string(), finite.nullable()),
  replay: z.object({ seed: z.number().int(), path: z.string().nullable() }),
  durationMs: finite,
}) satisfies z.ZodType<StabilityRecord>;

const SummarySchema = z.object({
  budget: BudgetSchema,
  seeds: z.array(z.number().int().nonnegative()),
  complete: z.boolean(),
  claims: z.array(
    z.object({
      id: z.string(),
      label: z.enum(['stable', 'flaky', 'blind', 'not-run']),
      verdicts: verdictCounts.extend({ 'not-run': z.number().int() }),
      flakySeeds: z.array(z.number().int()),
      blindSeeds: z.array(z.number().int()),
      checks: z.array(
        z.object({
          name: z.string(),
          passRate: finite,
          worstMargin: finite.nullable(),
          marginUnit: z.string().nullable(),
          verdicts: verdictCounts,
          seedFree: z.boolean(),
          margins: z.array(finite.nullable()),
        }),
      ),
      sentinels: z.array(
        z.object({ name: z.string(), check: z.string(), caught: z.number().int(), of: z.number().int() }),
      ),
    }),
  ),
}) satisfies z.ZodType<StabilitySummary>;

export const StabilityFileSchema = z.object({
  schemaVersion: z.literal(STABILITY_SCHEMA_VERSION),
  kind: z.literal('rankcheck-stability'),
  tool: z.object({ name: z.literal('rankcheck'), version: z.string() }),
  /** The run's provenance; its `seed` is the first root seed, and `seeds` below lists them all. */
  provenance: ProvenanceSchema,
  /** Every stability unit of the whole run, in order; `records` holds those that finished. */
  expectedUnits: z.array(z.string()),
  partial: z.boolean(),
  records: z.array(RecordSchema),
  summary: SummarySchema,
});

export type StabilityFile = z.infer<typeof StabilityFileSchema>;

/** Validates a parsed stability file; throws an Error naming the first problem's path. */
export function validateStabilityFile(data: unknown): StabilityFile {
  const parsed = StabilityFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `invalid stability file: ${issue.path.length ? issue.path.join('.') : 'top level'}: ${issue.message}`,
    );
  }
  return parsed.data;
}
