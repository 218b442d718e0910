/**
 * Theorem 3's lower bound, computed (src/theory/parity-bound.ts, proofs-notes/theorem-3.md): the
 * check low-rank-bound, and the bound for a given rank and head count that the trained-model
 * check and the figure compare with.
 */
import { fixed, join, text } from '../../src/core/format.js';
import { getOrCompute } from '../../src/core/memo.js';
import { BUDGETS, defineCheck, type Budget, type CheckDef } from '../../src/core/vocabulary.js';
import { degree, logCapturedFraction } from '../../src/theory/harmonics.js';
import {
  degreeEnergies,
  type DegreeEnergies,
  parityHeadsNeeded,
  parityProfile,
  parityRankBound,
  parityValueSumNeeded,
  SINGLE_STEP,
  staircaseProfile,
} from '../../src/theory/parity-bound.js';
import { rankLowerBound } from '../../src/theory/rank-bound.js';
import { THEOREM3_ERROR } from './construction.js';

export const BOUND_DS: Record<Budget, number[]> = {
  quick: [4, 6, 8],
  standard: [4, 6, 8, 10],
  paper: [4, 6, 8, 10, 12],
};

/**
 * Theorem 2's nearest-neighbour profile run through the Theorem-3 machinery: (d, r, log10 H). Its
 * bound is known from Theorem 2's independent closed form (rank-bound.ts).
 */
const SINGLE_STEP_CASES = [
  { d: 4, r: 1, log10H: 0 },
  { d: 6, r: 3, log10H: 1 },
  { d: 8, r: 2, log10H: 1 },
  { d: 8, r: 4, log10H: 2 },
];
/** Degrees summed for the single step: its energy decays like k⁻², so the tail's slack is ≈ 1e-4 of the variance. */
const SINGLE_STEP_DEGREES = 4000;
/** Relative rounding allowance in the single-step comparison (both sides are sums of ≈ 10⁴ terms). */
const SINGLE_STEP_ROUNDING = 1e-9;

interface BoundRow {
  d: number;
  r: number;
  /** log10 of the least number of heads the bound allows at error 1/40. */
  log10Heads: number;
  /** log10 of the least Σ_h‖V_h‖ the bound allows at error 1/40. */
  log10ValueSum: number;
  /** The bound with as many heads as the full-rank construction (2d² + 1). */
  atConstructionHeads: number;
}

/** Successive differences of a sequence ordered by d − r = 1, 2, …; increasing differences mean at least exponential growth. */
const increments = (xs: readonly number[]) => xs.slice(1).map((x, i) => x - xs[i]);

/** True when the differences are positive and never shrink: log growth at least linear in d − r. */
const atLeastLinear = (xs: readonly number[]) => {
  const inc = increments(xs);
  return inc.length > 0 && inc[0] > 0 && inc.every((x) => x >= inc[0]);
};

export const lowRankBound = defineCheck({
  name: 'low-rank-bound',
  kind: 'exact',
  description:
    'Our computable lower bound (proofs-notes/theorem-3.md) for every rank-r generalized attention layer on the target: the least number of heads H*(d, r), whatever the value matrices, and the least Σ_h‖V_h‖, whatever the number of heads, that error 1/40 needs. Holds when (1) the machinery, fed Theorem 2’s single step, gives Theorem 2’s independent bound within the slack its truncation allows; (2) at every tested d, log H* and log Σ‖V‖ grow at least linearly in d − r (increments positive and never shrinking), the first increment not shrinking with d, so H* ≥ 2·exp(c(d − r − 1)) with one c for every tested d; (3) with the construction’s 2d² + 1 heads, every rank r ≤ d/2 is held above 1/40.',
  sizes: Object.fromEntries(
    BUDGETS.map((b) => [
      b,
      `d ∈ {${BOUND_DS[b].join(', ')}}, every r < d; ${SINGLE_STEP_CASES.length} single-step cases`,
    ]),
  ) as CheckDef['sizes'],
  margin:
    'decades of heads: the smallest increment of log10 H* between neighbouring ranks (how far the growth is from stopping)',
  sentinels: {
    'monotone-staircase':
      'the same 2d² + 1 biased nearest neighbours summed with equal signs (a staircase, scaled to [0, 1]) instead of alternating ones',
    'wrong-sphere-weight': 'degree energies taken in the Gegenbauer weight of the sphere in R^(d−1) instead of R^d',
  },
  seedFree: true,
  run(ctx, sentinel) {
    // SENTINEL 'wrong-sphere-weight': the energies of the sphere one dimension down.
    const weightOf = (d: number) => (sentinel === 'wrong-sphere-weight' ? { weightDimension: d - 1 } : {});
    const single = SINGLE_STEP_CASES.map(({ d, r, log10H }) => {
      const e = degreeEnergies(d, SINGLE_STEP, { maxDegree: SINGLE_STEP_DEGREES, ...weightOf(d) });
      const ours = parityRankBound(e, r, log10H);
      const theirs = rankLowerBound(d, r, log10H).value;
      // Charging the energy above K at degree K + 1 may lower our value by at most H·M/N(K + 1)·R.
      const slack =
        Math.exp(log10H * Math.LN10 + logCapturedFraction(d, r, degree(SINGLE_STEP_DEGREES + 1))) * 2 * e.remainder;
      const ok = ours <= theirs * (1 + SINGLE_STEP_ROUNDING) && theirs - ours <= slack + SINGLE_STEP_ROUNDING * theirs;
      return { d, r, log10H, ours, theirs, slack, ok };
    });
    const rows: BoundRow[] = [];
    const perD = BOUND_DS[ctx.budget].map((d) => {
      // SENTINEL 'monotone-staircase': equal signs, no square wave.
      const profile = sentinel === 'monotone-staircase' ? staircaseProfile(d) : parityProfile(d);
      // The real target's energies are the ones the trained-model check and the figure read: computed once.
      const e = sentinel === null ? parityEnergies(d) : degreeEnergies(d, profile, weightOf(d));
      const mine: BoundRow[] = [];
      for (let r = d - 1; r >= 1; r--) {
        mine.push({
          d,
          r,
          log10Heads: parityHeadsNeeded(e, r, THEOREM3_ERROR),
          log10ValueSum: Math.log10(parityValueSumNeeded(e, r, THEOREM3_ERROR)),
          atConstructionHeads: parityRankBound(e, r, Math.log10(2 * d * d + 1)),
        });
      }
      rows.push(...mine);
      const heads = mine.map((m) => m.log10Heads);
      const values = mine.map((m) => m.log10ValueSum);
      const separated = mine.filter((m) => m.r <= d / 2).every((m) => m.atConstructionHeads > THEOREM3_ERROR);
      return {
        d,
        growth: atLeastLinear(heads) && atLeastLinear(values),
        separated,
        firstIncrement: increments(heads)[0] ?? 0,
      };
    });
    const firstIncrements = perD.map((p) => p.firstIncrement);
    const uniform = firstIncrements.every((x, i) => i === 0 || x >= firstIncrements[i - 1]);
    const machineryOk = single.every((s) => s.ok);
    const ok = machineryOk && uniform && perD.every((p) => p.growth && p.separated);
    const allIncrements = perD.flatMap((p) => increments(rows.filter((m) => m.d === p.d).map((m) => m.log10Heads)));
    const c = Math.min(...firstIncrements) * Math.LN10;
    const metrics: Record<string, number> = { c };
    for (const m of rows) {
      metrics[`log10Heads_d${m.d}_r${m.r}`] = m.log10Heads;
      metrics[`log10ValueSum_d${m.d}_r${m.r}`] = m.log10ValueSum;
      metrics[`boundAtConstructionHeads_d${m.d}_r${m.r}`] = m.atConstructionHeads;
    }
    for (const s of single) metrics[`singleStep_d${s.d}_r${s.r}_h${s.log10H}`] = s.ours;
    const f2 = (x: number) => fixed(x, 2);
    const describe = (d: number) => {
      const mine = rows.filter((m) => m.d === d);
      const half = mine.find((m) => m.r === Math.floor(d / 2));
      return text`d = ${d}: log10 H* ${join(
        mine.map((m) => text`${f2(m.log10Heads)} (r = ${m.r})`),
        ', ',
      )}; log10 Σ‖V‖ ${join(
        mine.map((m) => f2(m.log10ValueSum)),
        ', ',
      )}; rank ${half?.r ?? 0} with ${2 * d * d + 1} heads ≥ ${fixed(half?.atConstructionHeads ?? null, 4)}`;
    };
    return {
      verdict: ok ? 'holds' : 'violated',
      summary: text`${join(BOUND_DS[ctx.budget].map(describe), '; ')}; H* ≥ 2·exp(${f2(c)}·(d − r − 1)); Theorem 2’s single step: ${single.filter((s) => s.ok).length} of ${single.length} within the truncation slack`,
      metrics,
      tolerances: Object.fromEntries(Object.keys(metrics).map((k) => [k, 1e-8])),
      margin: allIncrements.length ? Math.min(...allIncrements) : null,
      witnesses: [
        ...single.filter((s) => !s.ok),
        ...perD.filter((p) => !(p.growth && p.separated)),
        ...(uniform ? [] : [{ firstIncrements }]),
      ],
    };
  },
});

// A pure function of d (about 1 s at d = 8): one computation per process, shared by the check, the
// trained-model check and the figure.
const parityEnergyStore = new Map<number, DegreeEnergies>();

/** d ≥ 3; the ρ-averaged degree energies of the target's switch at the default resolution. */
function parityEnergies(d: number): DegreeEnergies {
  return getOrCompute(parityEnergyStore, d, () => degreeEnergies(d, parityProfile(d)));
}

/** d ≥ 3, 1 ≤ r ≤ d, heads ≥ 1; our lower bound on the error of any rank-r layer with that many heads. */
export function lowerBoundFor(d: number, r: number, heads: number): number {
  return parityRankBound(parityEnergies(d), r, Math.log10(heads));
}
