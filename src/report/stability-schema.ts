/**
 * stability.json, version 1: what a stability audit ran (every unit's record at every seed) and
 * what it found (the summary), with the provenance of the run. `rankcheck stability` writes it,
 * `--resume` and `merge` read it back, and a committed copy (reports/baseline/stability-BUDGET.json)
 * is what `verify` reports show as each claim's measured stability.
 */
import { z } from 'zod';
import type { StabilityRecord } from '../audit/stability.js';
import { StabilitySummarySchema } from './stability-summary-schema.js';
import { ProvenanceSchema, RanOnSchema, ReplaySchema, VerdictSchema } from './schema.js';

export const STABILITY_SCHEMA_VERSION = 1;

const finite = z.number().finite();

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
  replay: ReplaySchema,
  durationMs: finite,
  ranOn: RanOnSchema.optional(),
  fingerprint: z.string().optional(),
}) satisfies z.ZodType<StabilityRecord>;

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
  summary: StabilitySummarySchema,
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
