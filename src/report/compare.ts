/**
 * Regression check between two reports, over every number they hold: claim verdicts, sentinels,
 * every check metric and margin, check intervals, key results, figure points and discrepancies.
 * Each number is judged by the rule its nature allows (see `Rule`); a number no rule can judge is
 * counted and named in the notes, never silently passed.
 */
import { VERDICT_RANK as RANK } from '../core/verdicts.js';
import { exactAllowance, MARGIN_METRIC, seedAllowance, type SpreadTable } from './metric-spread.js';
import type { CheckReport, ClaimReport, FigureReport, Report } from './schema.js';

/**
 * How a number was judged: `same-inputs` by rounding only, because its unit drew exactly what the
 * base's did (equal draw fingerprints: any move is "same inputs, different result"); `tolerance` by the relative tolerance its check declares; `exact` by
 * rounding only (a number no seed moves, or a seed-free check's); `seed-spread` by how far a change
 * of root seed moves it (the stability baseline); `interval` by overlap of the two intervals at
 * their stated level; `not-judged` when none applies (no spread measured for a number that moves).
 */
export type Rule = 'same-inputs' | 'tolerance' | 'exact' | 'seed-spread' | 'interval' | 'not-judged';

/** What became of one judged number: reproduced to rounding, moved within its allowance, beyond it, or not judged. */
export type Outcome = 'same' | 'changed' | 'regression' | 'not-judged';

/** One number as compare judged it (an interval's two ends travel together under the overlap rule). */
export interface JudgedNumber {
  where: string;
  rule: Rule;
  base: number | readonly [number, number];
  current: number | readonly [number, number] | null;
  /** The largest move allowed, in the number's own unit (null: the overlap rule, or no rule). */
  allowance: number | null;
  outcome: Outcome;
}

export interface Comparison {
  regressions: string[];
  /** Numbers that moved beyond rounding but within their allowance, each with base, current and allowance. */
  changes: string[];
  /** Changes that are not regressions (improvements, new claims, numbers no rule could judge). */
  notes: string[];
  /** How many numbers each rule judged. */
  judged: Record<Rule, number>;
  /** Every judged number, in report order. */
  numbers: JudgedNumber[];
}

/** What compare needs besides the two reports. */
export interface CompareOptions {
  /** Per-number seed spread from a stability run of the base's budget; null: none available. */
  spreads: SpreadTable | null;
  /**
   * Every number must reproduce to rounding (a change meant to keep every result bit for bit, at
   * the same seed and budget): no tolerance, no seed spread, intervals end for end.
   */
  exact?: boolean;
}

const KINDS_WITHOUT_SEED = new Set(['exact', 'scaling']);

/** What every part of one comparison shares: the findings so far and how a number is judged. */
interface Judging {
  cmp: Comparison;
  options: CompareOptions;
  /** Same seed and budget: the audit is deterministic, numbers of exact checks may move only by rounding. */
  sameRun: boolean;
  /** Numbers no rule could judge that moved. */
  unjudged: string[];
  judge: Judge;
  /** Units whose fingerprints both reports carry: those that drew the same inputs, and those that did not. */
  inputs: { same: number; differ: string[] };
}

type Fingerprinted = { fingerprint?: string } | undefined;

/** Whether both records carry fingerprints of the same run and the fingerprints agree. */
function drewAlike(j: Judging, b: Fingerprinted, c: Fingerprinted): boolean {
  return j.sameRun && b?.fingerprint !== undefined && b.fingerprint === c?.fingerprint;
}

/** Whether a unit drew exactly the base's inputs, counting it among the units both reports fingerprint. */
function sameInputs(j: Judging, unit: string, b: Fingerprinted, c: Fingerprinted): boolean {
  if (!j.sameRun || b?.fingerprint === undefined || c?.fingerprint === undefined) return false;
  const same = drewAlike(j, b, c);
  if (same) j.inputs.same += 1;
  else j.inputs.differ.push(unit);
  return same;
}

/** The rule of a number whose unit drew the same inputs: rounding only. */
const sameInputsRule = (was: number): RuleResult => ({ rule: 'same-inputs', allowed: exactAllowance(was) });

/** Compares `current` against `base`. */
export function compareReports(base: Report, current: Report, options: CompareOptions = { spreads: null }): Comparison {
  const cmp: Comparison = {
    regressions: [],
    changes: [],
    notes: [],
    judged: { 'same-inputs': 0, tolerance: 0, exact: 0, 'seed-spread': 0, interval: 0, 'not-judged': 0 },
    numbers: [],
  };
  const sameRun =
    base.provenance.seed === current.provenance.seed && base.provenance.budget === current.provenance.budget;
  if (options.exact && !sameRun) cmp.regressions.push('--exact needs two reports of the same seed and budget');
  const unjudged: string[] = [];
  const judge: Judge = (where, was, now, rule) => {
    if (now === null || now === undefined) {
      cmp.regressions.push(`${where} disappeared (was ${was})`);
      cmp.numbers.push({ where, rule: 'not-judged', base: was, current: null, allowance: null, outcome: 'regression' });
      return;
    }
    const r = options.exact ? { rule: 'exact' as const, allowed: exactAllowance(was) } : rule();
    cmp.judged[r.rule] += 1;
    const moved = Math.abs(now - was);
    const entry = { where, rule: r.rule, base: was, current: now };
    if (r.rule === 'not-judged') {
      if (now !== was) unjudged.push(`${where} ${was} → ${now}`);
      cmp.numbers.push({ ...entry, allowance: null, outcome: 'not-judged' });
      return;
    }
    const outcome: Outcome = moved > r.allowed ? 'regression' : moved > exactAllowance(was) ? 'changed' : 'same';
    cmp.numbers.push({ ...entry, allowance: r.allowed, outcome });
    if (outcome === 'regression') cmp.regressions.push(`${where} moved from ${was} to ${now} (${describe(r)})`);
    if (outcome === 'changed')
      cmp.changes.push(`${where}: ${was} → ${now} (allowed ${r.allowed} by ${r.rule}, ${relativeMove(was, now)})`);
  };
  const j: Judging = { cmp, options, sameRun, unjudged, judge, inputs: { same: 0, differ: [] } };
  for (const b of base.claims) {
    const c = current.claims.find((x) => x.id === b.id);
    if (c) compareClaim(j, b, c);
    else cmp.regressions.push(`claim ${b.id} is missing from the current report`);
  }
  for (const c of current.claims) if (!base.claims.some((b) => b.id === c.id)) cmp.notes.push(`claim ${c.id} is new`);
  compareSentinels(cmp, base, current);
  compareDiscrepancies(j, base, current);
  if (current.partial) cmp.regressions.push('the current report is partial');
  cmp.notes.unshift(judgedNote(cmp, options, unjudged));
  if (j.inputs.same + j.inputs.differ.length > 0)
    cmp.notes.splice(
      1,
      0,
      `${j.inputs.same} units drew the same inputs as the base (every number must reproduce), ${j.inputs.differ.length} drew differently${j.inputs.differ.length ? `: ${j.inputs.differ.join(', ')}` : ''}`,
    );
  return cmp;
}

/** One claim: its verdict, every check's numbers, its key result and figures. */
function compareClaim(j: Judging, b: ClaimReport, c: ClaimReport): void {
  const { cmp } = j;
  if (RANK[c.verdict] < RANK[b.verdict]) cmp.regressions.push(`claim ${b.id}: verdict ${b.verdict} → ${c.verdict}`);
  else if (RANK[c.verdict] > RANK[b.verdict]) cmp.notes.push(`claim ${b.id}: verdict ${b.verdict} → ${c.verdict}`);
  for (const bc of b.checks) {
    const cc = c.checks.find((x) => x.name === bc.name);
    if (cc) compareCheck(j, b.id, bc, cc);
    else cmp.notes.push(`claim ${b.id}: check ${bc.name} is no longer run`);
  }
  for (const cc of c.checks)
    if (!b.checks.some((x) => x.name === cc.name))
      cmp.notes.push(`claim ${b.id}: new check ${cc.name} (${cc.verdict})`);
  if (b.keyResult?.value !== null && b.keyResult?.value !== undefined) {
    const was = b.keyResult.value;
    // A key result is one of its claim's numbers: it inherits the rule of the metric it equals.
    const source = b.checks
      .flatMap((k) => Object.entries(k.metrics).map(([m, v]) => ({ k, m, v })))
      .find((x) => x.v === was);
    const same =
      source !== undefined &&
      drewAlike(
        j,
        source.k,
        c.checks.find((x) => x.name === source.k.name),
      );
    j.judge(`claim ${b.id}: key result`, was, c.keyResult?.value, () =>
      same
        ? sameInputsRule(was)
        : source
          ? metricRule(j.options.spreads, b.id, source.k, source.m, j.sameRun)
          : exactAtSameRun(was, j.sameRun),
    );
  }
  for (const bf of b.figures) {
    const cf = c.figures.find((f) => f.id === bf.id);
    compareFigure(
      cmp,
      b.id,
      bf,
      cf,
      sameInputs(j, `${b.id}/figure/${bf.id}`, bf, cf) ? 'same-inputs' : j.sameRun,
      j.judge,
    );
  }
}

/** One check: its verdict, every metric, its margin and its interval. */
function compareCheck(j: Judging, claim: string, bc: CheckReport, cc: CheckReport): void {
  const where = `claim ${claim}, check ${bc.name}`;
  if (cc.verdict !== bc.verdict) j.cmp.notes.push(`${where}: ${bc.verdict} → ${cc.verdict}`);
  const same = sameInputs(j, `${claim}/check/${bc.name}`, bc, cc);
  const ruleFor = (metric: string) => () =>
    same
      ? sameInputsRule((metric === MARGIN_METRIC ? bc.margin : bc.metrics[metric]) ?? 0)
      : metricRule(j.options.spreads, claim, bc, metric, j.sameRun);
  for (const [metric, was] of Object.entries(bc.metrics)) {
    if (was === null) continue;
    j.judge(`${where}: metric ${metric}`, was, cc.metrics[metric], ruleFor(metric));
  }
  for (const metric of Object.keys(cc.metrics))
    if (!(metric in bc.metrics)) j.cmp.notes.push(`${where}: new metric ${metric}`);
  if (bc.margin !== null) j.judge(`${where}: margin`, bc.margin, cc.margin, ruleFor(MARGIN_METRIC));
  if (j.options.exact || same) judgeEnds(j.judge, `${where}: interval`, bc.ci, cc.ci, same);
  else compareIntervals(j.cmp, `${where}: interval`, bc.ci, cc.ci, bc.level);
}

/** Sentinels: one no longer caught is a regression; a new one not caught is a blind spot to name. */
function compareSentinels(cmp: Comparison, base: Report, current: Report): void {
  const same = (x: Report['sensitivity'][number], y: Report['sensitivity'][number]) =>
    x.claim === y.claim && x.sentinel === y.sentinel && x.check === y.check;
  for (const bs of base.sensitivity) {
    const cs = current.sensitivity.find((x) => same(x, bs));
    if (bs.caught && (!cs || !cs.caught))
      cmp.regressions.push(
        `sentinel ${bs.claim}/${bs.sentinel} is no longer caught by ${bs.check}${cs ? ` (verdict ${cs.verdict})` : ' (not run)'}`,
      );
  }
  for (const cs of current.sensitivity)
    if (!base.sensitivity.some((x) => same(x, cs)))
      cmp.notes.push(
        `new sentinel ${cs.claim}/${cs.sentinel} on ${cs.check}: ${cs.caught ? 'caught' : `NOT caught (verdict ${cs.verdict})`}`,
      );
}

/** Discrepancies: each still reported, still confirmed where it was, its numbers and interval judged. */
function compareDiscrepancies(j: Judging, base: Report, current: Report): void {
  for (const bd of base.discrepancies) {
    const cd = current.discrepancies.find(
      (x) => x.claim === bd.claim && x.check === bd.check && x.quantity === bd.quantity,
    );
    const where = `discrepancy ${bd.claim}/${bd.check} (${bd.quantity})`;
    if (!cd) {
      j.cmp.regressions.push(`${where} is no longer reported`);
      continue;
    }
    if (bd.confirmed === true && cd.confirmed !== true)
      j.cmp.regressions.push(`${where}: confirmed → ${String(cd.confirmed)}`);
    // Both numbers are exact computations on the check's heads, which the seed draws.
    const check = (r: Report) => r.claims.find((x) => x.id === bd.claim)?.checks.find((x) => x.name === bd.check);
    const same = drewAlike(j, check(base), check(current));
    const rule = (was: number) => () => (same ? sameInputsRule(was) : exactAtSameRun(was, j.sameRun));
    j.judge(`${where}: published`, bd.published, cd.published, rule(bd.published));
    j.judge(`${where}: recomputed`, bd.recomputed, cd.recomputed, rule(bd.recomputed));
    if (j.options.exact || same) judgeEnds(j.judge, `${where}: interval`, bd.interval, cd.interval, same);
    else compareIntervals(j.cmp, `${where}: interval`, bd.interval, cd.interval, bd.level);
  }
}

/** The first note: how many numbers each rule judged, and which moved that none could. */
function judgedNote(cmp: Comparison, options: CompareOptions, unjudged: readonly string[]): string {
  const total = Object.values(cmp.judged).reduce((a, b) => a + b, 0);
  return (
    `${total} numbers compared: ${cmp.judged['same-inputs'] ? `${cmp.judged['same-inputs']} same inputs (reproduce to rounding), ` : ''}${cmp.judged.tolerance} by declared tolerance, ${cmp.judged.exact} exact, ` +
    `${cmp.judged['seed-spread']} by seed spread${options.spreads ? '' : ' (no stability baseline given)'}, ` +
    `${cmp.judged.interval} by interval overlap, ${cmp.judged['not-judged']} not judged (no spread measured)` +
    (unjudged.length ? `; ${unjudged.length} of those moved, e.g. ${unjudged.slice(0, 3).join('; ')}` : '')
  );
}

type RuleResult = { rule: Rule; allowed: number };
const NOT_JUDGED: RuleResult = { rule: 'not-judged', allowed: Infinity };

function describe(r: RuleResult): string {
  switch (r.rule) {
    case 'tolerance':
      return `beyond its declared tolerance, ${r.allowed} absolute`;
    case 'same-inputs':
      return `same inputs, different result: its unit drew exactly what the base's did, so rounding only, ${r.allowed} absolute`;
    case 'exact':
      return `an exact number may move by rounding only, ${r.allowed} absolute`;
    case 'seed-spread':
      return `more than a change of root seed moves it, ${r.allowed} absolute`;
    default:
      return r.rule;
  }
}

/** The rule for one check metric: declared tolerance, then the stability spread, then determinism at the same run. */
function metricRule(
  spreads: SpreadTable | null,
  claim: string,
  check: CheckReport,
  metric: string,
  sameRun: boolean,
): RuleResult {
  const was = metric === MARGIN_METRIC ? check.margin : check.metrics[metric];
  if (was === null || was === undefined) return NOT_JUDGED;
  const spread = spreads?.get(claim, check.name, metric);
  const j = spread ? seedAllowance(spread, was) : null;
  // A declared tolerance is about the computation; across seeds a number the seed moves is judged by its spread.
  const tol = check.tolerances[metric];
  if (tol !== undefined && (sameRun || !j || j.rule === 'exact'))
    return { rule: 'tolerance', allowed: tol * Math.max(Math.abs(was), Number.MIN_VALUE) };
  if (j) return { rule: j.rule, allowed: j.allowed };
  if (sameRun && KINDS_WITHOUT_SEED.has(check.kind)) return { rule: 'exact', allowed: exactAllowance(was) };
  return NOT_JUDGED;
}

const disjoint = (a: readonly [number, number], b: readonly [number, number]) => a[1] < b[0] || b[1] < a[0];
const fmt = (i: readonly [number, number]) => `[${i[0]}, ${i[1]}]`;

type Interval = [number, number] | null;

/** Two intervals at the same level that do not overlap: the number moved beyond both uncertainties. */
function compareIntervals(cmp: Comparison, where: string, was: Interval, now: Interval, level: number | null): void {
  if (!was || !now) return;
  cmp.judged.interval += 1;
  const same = was.every((x, k) => Math.abs(now[k] - x) <= exactAllowance(x));
  const outcome: Outcome = disjoint(was, now) ? 'regression' : same ? 'same' : 'changed';
  cmp.numbers.push({ where, rule: 'interval', base: was, current: now, allowance: null, outcome });
  if (outcome === 'regression') cmp.regressions.push(`${where} ${fmt(was)} → ${fmt(now)}, disjoint at level ${level}`);
  if (outcome === 'changed') cmp.changes.push(`${where}: ${fmt(was)} → ${fmt(now)} (overlapping at level ${level})`);
}

/** "+5.0%"-style relative move of a number (absolute when its base is 0). */
function relativeMove(was: number, now: number): string {
  if (was === 0) return `moved ${now - was} from 0`;
  const r = (now - was) / Math.abs(was);
  return `${r >= 0 ? '+' : '−'}${(Math.abs(r) * 100).toPrecision(2)}%`;
}

type Judge = (where: string, was: number, now: number | null | undefined, rule: () => RuleResult) => void;

/** Both ends of an interval, each judged as a number (under --exact, or same inputs); an interval that vanished is a regression. */
function judgeEnds(judge: Judge, where: string, was: Interval, now: Interval, drewTheSame = false): void {
  if (!was) return;
  const rule = (x: number) => () => (drewTheSame ? sameInputsRule(x) : NOT_JUDGED);
  judge(`${where} (lower end)`, was[0], now?.[0], rule(was[0]));
  judge(`${where} (upper end)`, was[1], now?.[1], rule(was[1]));
}

/** At the same seed and budget the audit is deterministic: rounding only; across seeds, no rule applies. */
function exactAtSameRun(was: number, sameRun: boolean): RuleResult {
  return sameRun ? { rule: 'exact', allowed: exactAllowance(was) } : NOT_JUDGED;
}

/**
 * A figure's points: the same series on the same x grid, each y reproduced at the same run.
 */
function compareFigure(
  cmp: Comparison,
  claim: string,
  bf: FigureReport,
  cf: FigureReport | undefined,
  sameRun: boolean | 'same-inputs',
  judge: Judge,
): void {
  const where = `claim ${claim}, figure ${bf.id}`;
  if (!cf) {
    cmp.regressions.push(`${where} is missing`);
    return;
  }
  for (const bs of bf.series) {
    const cs = cf.series.find((s) => s.name === bs.name);
    if (!cs) {
      cmp.regressions.push(`${where}: series "${bs.name}" is missing`);
      continue;
    }
    if (cs.points.length !== bs.points.length || cs.points.some((p, i) => p.x !== bs.points[i].x)) {
      cmp.regressions.push(
        `${where}: series "${bs.name}" has other points (${bs.points.length} → ${cs.points.length})`,
      );
      continue;
    }
    // Figure points carry no measured seed spread (the numbers they plot are judged as check
    // metrics): at the same seed and budget they must reproduce to rounding; across seeds they are
    // counted as not judged. Overlap of their intervals is no test: independent 95% bands of the
    // same quantity are disjoint for one point in a few hundred.
    bs.points.forEach((bp, i) => {
      judge(`${where}: "${bs.name}" at x = ${bp.x}`, bp.y, cs.points[i].y, () =>
        sameRun === 'same-inputs' ? sameInputsRule(bp.y) : exactAtSameRun(bp.y, sameRun),
      );
    });
  }
}
