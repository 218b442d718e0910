/**
 * Runs units of an audit one after another and turns what each found into records. A check that
 * throws is a failure of the suite, not of the claim: it is recorded "inconclusive" with the
 * error, and listed in `crashed` so that the command can exit non-zero. Run-scoped caches are
 * emptied whenever the root seed changes, in the thread that runs the units.
 */
import { render } from '../core/format.js';
import { sentinelCaught } from '../core/verdicts.js';
import type { Budget, CheckContext, CheckOutcome, Discrepancy } from '../core/vocabulary.js';
import { withLedger } from '../core/draw-ledger.js';
import { endRunScope } from '../core/run-cache.js';
import { float64Label } from '../model/evaluator.js';
import { currentBackend } from '../training/backend-state.js';
import { preferredTrainer } from '../training/trainer-state.js';
import type { CheckRecord, RanOn, UnitResult } from './records.js';
import type { Unit } from './units.js';

export interface RunOptions {
  budget: Budget;
  /** Shrink paths to replay, by unit id (rankcheck verify --replay UNIT=PATH). */
  replay?: ReadonlyMap<string, string>;
  signal?: AbortSignal;
  onUnitStart?: (unit: Unit, index: number, total: number) => void;
  /** Called after each unit, with whether its code threw. */
  onUnitDone?: (result: UnitResult, index: number, total: number, crashed: boolean) => void;
}

export interface RunOutcome {
  results: UnitResult[];
  /** False when the signal stopped the run before every unit finished. */
  complete: boolean;
  /** Ids of units whose code threw. */
  crashed: string[];
}

/** Runs `units` in order; when the signal fires, stops after the unit in progress. */
export async function runUnits(units: readonly Unit[], options: RunOptions): Promise<RunOutcome> {
  const results: UnitResult[] = [];
  const crashed: string[] = [];
  let rootSeed: number | null = null;
  for (const [index, unit] of units.entries()) {
    if (options.signal?.aborted) return { results, complete: false, crashed };
    // A many-seed run holds one root seed's cached models at a time.
    if (rootSeed !== null && unit.runSeed !== rootSeed) endRunScope();
    rootSeed = unit.runSeed;
    options.onUnitStart?.(unit, index, units.length);
    const t0 = performance.now();
    let result: UnitResult;
    let threw = false;
    let fingerprint: string | undefined;
    let reused: string[] = [];
    try {
      const run = await withLedger(() => runUnit(unit, options), unit.id);
      result = run.value;
      fingerprint = run.ledger.digest();
      reused = run.ledger.reused;
    } catch (e) {
      threw = true;
      crashed.push(unit.id);
      result = crashResult(unit, e);
    }
    result = withRunFacts(
      result,
      performance.now() - t0,
      {
        evaluator: float64Label(),
        tfjs: currentBackend(),
        // As for tfjs: named once training has run in this process (the fused trainer trains every model).
        ...(currentBackend() !== null && preferredTrainer() === 'fused' ? { trainer: 'fused' } : {}),
      },
      fingerprint,
      reused,
    );
    results.push(result);
    options.onUnitDone?.(result, index, units.length, threw);
    // Let a pending signal handler (Ctrl-C) run before the next unit starts.
    await new Promise((r) => setImmediate(r));
  }
  return { results, complete: true, crashed };
}

/** The context a unit's code runs with. */
export function unitContext(unit: Unit, budget: Budget, replay?: ReadonlyMap<string, string>): CheckContext {
  return {
    budget,
    unit: unit.id,
    seed: unit.seed,
    claimSeed: unit.claimSeed,
    runSeed: unit.runSeed,
    replay: replay?.get(unit.id) ?? null,
  };
}

async function runUnit(unit: Unit, options: RunOptions): Promise<UnitResult> {
  // Units always run to the end (the signal is honoured between units), so every result kept is whole.
  const ctx = unitContext(unit, options.budget, options.replay);
  switch (unit.kind) {
    case 'check': {
      const outcome = await unit.check.run(ctx, null);
      return {
        id: unit.id,
        kind: 'check',
        claim: unit.claim.id,
        check: checkRecord(unit.check.name, unit.check.kind, outcome, unit.seed),
      };
    }
    case 'sentinel': {
      const outcome = await unit.check.run(ctx, unit.sentinel.name);
      return {
        id: unit.id,
        kind: 'sentinel',
        claim: unit.claim.id,
        sentinel: {
          claim: unit.claim.id,
          sentinel: unit.sentinel.name,
          description: unit.sentinel.description,
          check: unit.check.name,
          caught: sentinelCaught(outcome.verdict),
          verdict: outcome.verdict,
          witness: jsonSafe(outcome.witnesses?.[0] ?? null),
          replay: { seed: unit.seed, path: outcome.path ?? null },
          durationMs: 0,
        },
      };
    }
    case 'figure': {
      const { id, title, caption, discrepancy } = unit.figure;
      const body = await unit.figure.build(ctx);
      const series = body.series.map((s) => ({ ...s, points: s.points.filter(finitePoint) }));
      return {
        id: unit.id,
        kind: 'figure',
        claim: unit.claim.id,
        figure: { id, title, caption, ...(discrepancy ? { discrepancy } : {}), ...body, series, durationMs: 0 },
      };
    }
  }
}

const finiteOrNull = (v: number | null | undefined) => (v !== null && v !== undefined && Number.isFinite(v) ? v : null);

/** The record of a check's outcome: the summary rendered, non-finite numbers as null. */
export function checkRecord(name: string, kind: CheckRecord['kind'], o: CheckOutcome, seed: number): CheckRecord {
  return {
    name,
    kind,
    verdict: o.verdict,
    summary: render(o.summary),
    metrics: Object.fromEntries(Object.entries(o.metrics).map(([k, v]) => [k, finiteOrNull(v)])),
    tolerances: o.tolerances ?? {},
    ci: o.ci && o.ci.every(Number.isFinite) ? o.ci : null,
    level: o.level ?? null,
    margin: finiteOrNull(o.margin),
    witnesses: (o.witnesses ?? []).map(jsonSafe),
    // A finding with a non-finite number is dropped: a report never shows NaN, and the check's verdict says why.
    discrepancies: (o.discrepancies ?? []).filter(finiteDiscrepancy),
    replay: { seed, path: o.path ?? null },
    durationMs: 0,
  };
}

function crashResult(unit: Unit, e: unknown): UnitResult {
  const message = `the check crashed: ${e instanceof Error ? e.message : String(e)}`;
  if (unit.kind === 'figure') {
    return {
      id: unit.id,
      kind: 'figure',
      claim: unit.claim.id,
      figure: {
        id: unit.figure.id,
        title: unit.figure.title,
        caption: `${unit.figure.caption} (${message})`,
        xLabel: '',
        yLabel: '',
        xScale: 'linear',
        yScale: 'linear',
        series: [],
        durationMs: 0,
      },
    };
  }
  const outcome: CheckOutcome = {
    verdict: 'inconclusive',
    summary: { parts: [message], args: [] },
    metrics: { crashed: 1 },
  };
  if (unit.kind === 'check')
    return {
      id: unit.id,
      kind: 'check',
      claim: unit.claim.id,
      check: checkRecord(unit.check.name, unit.check.kind, outcome, unit.seed),
    };
  return {
    id: unit.id,
    kind: 'sentinel',
    claim: unit.claim.id,
    sentinel: {
      claim: unit.claim.id,
      sentinel: unit.sentinel.name,
      description: unit.sentinel.description,
      check: unit.check.name,
      caught: false,
      verdict: 'inconclusive',
      witness: message,
      replay: { seed: unit.seed, path: null },
      durationMs: 0,
    },
  };
}

/** The result with how long it took, what ran it and what it drew (none for a unit that crashed). */
function withRunFacts(
  r: UnitResult,
  ms: number,
  ranOn: RanOn,
  fingerprint: string | undefined,
  reused: readonly string[],
): UnitResult {
  const facts = {
    durationMs: Math.round(ms),
    ranOn,
    ...(fingerprint !== undefined ? { fingerprint } : {}),
    ...(reused.length > 0 ? { reused: [...reused] } : {}),
  };
  if (r.kind === 'check') return { ...r, check: { ...r.check, ...facts } };
  if (r.kind === 'sentinel') return { ...r, sentinel: { ...r.sentinel, ...facts } };
  return { ...r, figure: { ...r.figure, ...facts } };
}

function finiteDiscrepancy(x: Discrepancy): boolean {
  return [x.published, x.recomputed, ...(x.interval ?? []), x.level ?? 0].every(Number.isFinite);
}

function finitePoint(p: { x: number; y: number; lo?: number; hi?: number }): boolean {
  return [p.x, p.y, p.lo ?? 0, p.hi ?? 0].every(Number.isFinite);
}

/** A JSON-representable copy: typed arrays become arrays, non-finite numbers become null. */
export function jsonSafe(x: unknown): unknown {
  return JSON.parse(
    JSON.stringify(x, (_k, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v)) return null;
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
      return v;
    }) ?? 'null',
  );
}
