/** The summary of a stability audit, the part of stability.json that verify reports embed. */
import { z } from 'zod';
import type { StabilitySummary } from '../audit/stability.js';
import { BUDGETS } from '../core/vocabulary.js';

const finite = z.number().finite();
const verdictCounts = z.object({ holds: z.number().int(), violated: z.number().int(), inconclusive: z.number().int() });

/** The summary of a stability audit (audit/stability.ts StabilitySummary). */
export const StabilitySummarySchema = z.object({
  budget: z.enum(BUDGETS),
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
          definition: z.string().optional(),
        }),
      ),
      sentinels: z.array(
        z.object({ name: z.string(), check: z.string(), caught: z.number().int(), of: z.number().int() }),
      ),
    }),
  ),
}) satisfies z.ZodType<StabilitySummary>;
