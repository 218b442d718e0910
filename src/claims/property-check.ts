/**
 * Checks made of fast-check properties. The same definition runs under vitest (quick budget, in
 * `npm test`) and under `rankcheck verify` (any budget), with the same seed derivation, so a
 * failure in either replays in the other. Properties may report per-case evidence through
 * `observe`; the check keeps, for each observed quantity, its smallest value over the cases
 * (observations are chosen so that smaller means closer to failing).
 */
import fc from 'fast-check';
import type { Budget, CheckDef, CheckKind, CheckOutcome } from './types.js';

export type Observer = (evidence: Record<string, number>) => void;

export interface PropertySpec {
  name: string;
  kind: CheckKind;
  description: string;
  /** Cases per budget; a budget without an entry does not run the check. */
  runs: Partial<Record<Budget, number>>;
  /** Extra size note per case (e.g. "20 000 samples each"). */
  perCase?: string;
  /** Per-case confidence level of a statistical property (its interval or test), else omitted. */
  level?: number;
  /** The property; `variant` selects a sentinel's broken implementation (null: the real one). */
  property(variant: string | null, budget: Budget, observe: Observer): fc.IRawProperty<unknown[]>;
}

/** Turns a property spec into a check (the runner supplies the seed). */
export function propertyCheck(spec: PropertySpec): CheckDef {
  const sizes: CheckDef['sizes'] = {};
  for (const [budget, n] of Object.entries(spec.runs) as [Budget, number][]) {
    sizes[budget] = `${n} cases${spec.perCase ? ` × ${spec.perCase}` : ''}`;
  }
  return {
    name: spec.name,
    kind: spec.kind,
    description: spec.description,
    sizes,
    async run(ctx, variant) {
      const numRuns = spec.runs[ctx.budget];
      if (numRuns === undefined) throw new Error(`check ${spec.name} does not run at budget ${ctx.budget}`);
      // Cases fast-check runs while shrinking a failure are real cases too; they count.
      const worst: Record<string, number> = {};
      const observe: Observer = (evidence) => {
        for (const [k, v] of Object.entries(evidence)) if (Number.isFinite(v) && !(worst[k] <= v)) worst[k] = v;
      };
      const details = await fc.check(spec.property(variant, ctx.budget, observe), {
        seed: ctx.seed,
        numRuns,
        // Replay of one shrunk case: only for the check named by RANKCHECK_CHECK.
        path: process.env.RANKCHECK_CHECK === spec.name ? process.env.RANKCHECK_PATH || undefined : undefined,
        // A sentinel only has to be caught; shrinking its counterexample would cost minutes.
        endOnFailure: variant !== null,
      });
      return outcomeOf(spec, details, numRuns, worst);
    },
  };
}

function outcomeOf(spec: PropertySpec, details: fc.RunDetails<unknown[]>, numRuns: number, worst: Record<string, number>): CheckOutcome {
  const metrics: Record<string, number | null> = { cases: details.numRuns, skipped: details.numSkips, ...worst };
  const level = spec.level ?? null;
  const familyWise = level === null ? '' : `, each at level ${formatLevel(level)} (all ${numRuns} together ≥ ${formatLevel(1 - numRuns * (1 - level))})`;
  if (details.failed) {
    const shrunk = fc.stringify(details.counterexample);
    return {
      verdict: 'violated',
      summary: `failed on case ${details.numRuns} of ${numRuns}; smallest counterexample ${shrunk}${details.errorInstance ? ` (${String(details.errorInstance).slice(0, 200)})` : ''}`,
      metrics: { ...metrics, failedAfter: details.numRuns },
      level,
      witnesses: [details.counterexample],
      path: details.counterexamplePath ?? null,
    };
  }
  if (details.numSkips > details.numRuns) {
    // Like Hypothesis' health check: most generated cases were discarded, the check saw too little.
    return { verdict: 'inconclusive', summary: `only ${details.numRuns} cases ran, ${details.numSkips} were discarded`, metrics, level, witnesses: [] };
  }
  return { verdict: 'holds', summary: `held on all ${details.numRuns} generated cases${familyWise}`, metrics, level, witnesses: [] };
}

function formatLevel(level: number): string {
  const miss = 1 - level;
  return miss < 1e-3 ? `1 − ${miss.toExponential(0)}` : String(Number(level.toPrecision(6)));
}
