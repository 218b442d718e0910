/**
 * Checks made of fast-check properties. The same definition runs under vitest (quick budget, in
 * `npm test`) and under `rankcheck verify` (any budget), with the same seed derivation, so a
 * failure in either replays in the other. Properties may report per-case evidence through
 * `observe`; the check keeps, for each observed quantity, its smallest value over the cases
 * (observations are chosen so that smaller means closer to failing).
 */
import fc from 'fast-check';
import { currentLedger } from '../core/draw-ledger.js';
import { level as levelOf, text } from '../core/format.js';
import type { Budget, CheckDef, CheckKind, CheckOutcome } from '../core/vocabulary.js';

export type Observer = (evidence: Record<string, number>) => void;

export interface PropertySpec<S extends string = never> {
  name: string;
  kind: CheckKind;
  description: string;
  /** Cases per budget; a budget without an entry does not run the check. */
  runs: Partial<Record<Budget, number>>;
  /** Extra size note per case (e.g. "20 000 samples each"). */
  perCase?: string;
  /** Per-case confidence level of a statistical property (its interval or test), else omitted. */
  level?: number;
  /** The broken variants the property must reject: name → what is broken. */
  sentinels: { readonly [K in S]: string };
  /** The observation whose smallest value over the cases is the check's margin, and what it measures. */
  margin?: { observation: string; unit: string };
  /** True when the cases do not depend on the seed's draws beyond which cases are generated (never for sampled checks). */
  seedFree?: boolean;
  /** The property; `sentinel` selects a sentinel's broken implementation (null: the real one). */
  property(sentinel: S | null, budget: Budget, observe: Observer): fc.IRawProperty<unknown[]>;
}

/** Declares a property check, inferring its sentinel names from the keys of `sentinels`. */
export function defineProperty<S extends string = never>(spec: PropertySpec<S>): PropertySpec<S> {
  return spec;
}

/** Turns a property spec into a check (the runner supplies the seed, and the replay path of its unit). */
export function propertyCheck<S extends string>(spec: PropertySpec<S>): CheckDef<S> {
  const sizes: CheckDef['sizes'] = {};
  for (const [budget, n] of Object.entries(spec.runs) as [Budget, number][]) {
    sizes[budget] = `${n} cases${spec.perCase ? ` × ${spec.perCase}` : ''}`;
  }
  return {
    name: spec.name,
    kind: spec.kind,
    description: spec.description,
    sizes,
    sentinels: spec.sentinels,
    margin: spec.margin?.unit,
    async run(ctx, sentinel) {
      const numRuns = spec.runs[ctx.budget];
      if (numRuns === undefined) throw new Error(`check ${spec.name} does not run at budget ${ctx.budget}`);
      // Cases fast-check runs while shrinking a failure are real cases too; they count.
      const worst: Record<string, number> = {};
      const observe: Observer = (evidence) => {
        for (const [k, v] of Object.entries(evidence)) if (Number.isFinite(v) && !(worst[k] <= v)) worst[k] = v;
      };
      const details = await fc.check(notingCases(spec.property(sentinel, ctx.budget, observe)), {
        seed: ctx.seed,
        numRuns,
        path: ctx.replay ?? undefined,
        // A sentinel only has to be caught; shrinking its counterexample would cost minutes.
        endOnFailure: sentinel !== null,
      });
      const outcome = outcomeOf(spec, details, numRuns, worst);
      return spec.margin ? { ...outcome, margin: worst[spec.margin.observation] ?? null } : outcome;
    },
  };
}

/**
 * The property with every case it runs noted in the unit's draw ledger: fast-check draws its
 * cases from its own generator, so they are inputs our streams do not see.
 */
function notingCases<Ts>(p: fc.IRawProperty<Ts>): fc.IRawProperty<Ts> {
  return {
    isAsync: () => p.isAsync(),
    generate: (mrng, runId) => p.generate(mrng, runId),
    shrink: (value) => p.shrink(value),
    run: (v) => {
      currentLedger()?.addText(fc.stringify(v));
      return p.run(v);
    },
    runBeforeEach: () => p.runBeforeEach(),
    runAfterEach: () => p.runAfterEach(),
  };
}

function outcomeOf<S extends string>(
  spec: PropertySpec<S>,
  details: fc.RunDetails<unknown[]>,
  numRuns: number,
  worst: Record<string, number>,
): CheckOutcome {
  const metrics: Record<string, number | null> = { cases: details.numRuns, skipped: details.numSkips, ...worst };
  const level = spec.level ?? null;
  const familyWise =
    level === null
      ? text``
      : text`, each at level ${levelOf(level)} (all ${numRuns} together ≥ ${levelOf(1 - numRuns * (1 - level))})`;
  if (details.failed) {
    const shrunk = fc.stringify(details.counterexample);
    const error = details.errorInstance ? ` (${String(details.errorInstance).slice(0, 200)})` : '';
    return {
      verdict: 'violated',
      summary: text`failed on case ${details.numRuns} of ${numRuns}; smallest counterexample ${shrunk}${error}`,
      metrics: { ...metrics, failedAfter: details.numRuns },
      level,
      witnesses: [details.counterexample],
      path: details.counterexamplePath ?? null,
    };
  }
  if (details.numSkips > details.numRuns) {
    // Like Hypothesis' health check: most generated cases were discarded, the check saw too little.
    return {
      verdict: 'inconclusive',
      summary: text`only ${details.numRuns} cases ran, ${details.numSkips} were discarded`,
      metrics,
      level,
      witnesses: [],
    };
  }
  return {
    verdict: 'holds',
    summary: text`held on all ${details.numRuns} generated cases${familyWise}`,
    metrics,
    level,
    witnesses: [],
  };
}
