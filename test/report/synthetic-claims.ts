/**
 * Tiny claims for testing the audit machinery without the cost of the real checks: a check that
 * holds, one that is violated, a sentinel caught and one missed, a figure, and a not-built claim.
 */
import { Rng } from '../../src/core/rng.js';
import { notBuiltClaim, type Claim } from '../../src/claims/types.js';

/** A deterministic "measurement" from the unit's seed, so results depend on seeds as real ones do. */
const measure = (seed: number) => Rng.fromSeed(seed).nextDouble();

export const HOLDING: Claim = {
  id: 'synthetic-holds',
  title: 'A claim whose checks hold',
  paperRef: 'test',
  statement: 'x ≥ 0 for every draw',
  reconstructed: false,
  checks: [
    { name: 'draw-is-non-negative', kind: 'statistical', description: 'a draw', sizes: { quick: '1 draw', standard: '1 draw', paper: '1 draw' }, run: (ctx, variant) => {
      const x = measure(ctx.seed) - (variant === 'shifted' ? 2 : 0);
      return { verdict: x >= 0 ? 'holds' : 'violated', summary: `x = ${x}`, metrics: { x }, tolerances: { x: 1e-12 }, ci: [x - 0.1, x + 0.1], level: 0.95 };
    } },
    { name: 'exact-identity', kind: 'exact', description: '1 + 1 = 2', sizes: { quick: 'once', paper: 'once' }, run: (_ctx, variant) => ({ verdict: variant === 'off-by-one' || 1 + 1 !== 2 ? 'violated' : 'holds', summary: 'arithmetic', metrics: { two: 2 } }) },
  ],
  sentinels: [
    { name: 'shifted', check: 'draw-is-non-negative', description: 'draws shifted by −2' },
    { name: 'off-by-one', check: 'exact-identity', description: 'an off-by-one' },
  ],
  figures: [
    { id: 'line', title: 'a line', caption: 'y = x', budgets: ['quick', 'standard', 'paper'], build: (ctx) => ({ xLabel: 'x', yLabel: 'y', xScale: 'linear', yScale: 'linear', series: [{ name: 'y = x', style: 'line', points: [1, 2, 3].map((x) => ({ x, y: x * measure(ctx.seed) })) }] }) },
  ],
  keyResult: () => ({ label: 'two', value: 2, text: '2' }),
};

export const VIOLATED: Claim = {
  id: 'synthetic-violated',
  title: 'A claim one check refutes, with a blind check',
  paperRef: 'test',
  statement: 'false',
  reconstructed: true,
  checks: [
    { name: 'refutes', kind: 'exact', description: 'always violated', sizes: { quick: 'once', standard: 'once', paper: 'once' }, run: () => ({ verdict: 'violated', summary: 'counterexample 0', metrics: {}, witnesses: [0] }) },
    { name: 'blind', kind: 'exact', description: 'always holds', sizes: { quick: 'once', standard: 'once', paper: 'once' }, run: () => ({ verdict: 'holds', summary: 'nothing checked', metrics: {} }) },
  ],
  sentinels: [{ name: 'anything', check: 'blind', description: 'a broken variant the blind check cannot see' }],
  figures: [],
};

export const PENDING = notBuiltClaim({ id: 'synthetic-pending', title: 'Not built', paperRef: 'test', statement: 's', reconstructed: false, reason: 'not built yet' });

export const SYNTHETIC: Claim[] = [HOLDING, VIOLATED, PENDING];
