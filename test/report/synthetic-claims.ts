/**
 * Tiny claims for testing the audit machinery without the cost of the real checks: a check that
 * holds, one that is violated, a sentinel caught and one missed, a figure, and a not-built claim.
 */
import { text } from '../../src/core/format.js';
import { Rng } from '../../src/core/rng.js';
import { defineCheck, notBuiltClaim, type Claim } from '../../src/core/vocabulary.js';

/** A deterministic "measurement" from the unit's seed, so results depend on seeds as real ones do. */
const measure = (seed: number) => Rng.fromSeed(seed).nextDouble();

const SOURCES = { proofNote: 'proofs-notes/fact-1.md', code: [], checks: 'test/report/synthetic-claims.ts' };

export const HOLDING: Claim = {
  id: 'synthetic-holds',
  title: 'A claim whose checks hold',
  paperRef: 'test',
  statement: 'x ≥ 0 for every draw',
  reconstructed: false,
  sources: SOURCES,
  checks: [
    defineCheck({
      name: 'draw-is-non-negative',
      kind: 'statistical',
      description: 'a draw',
      sizes: { quick: '1 draw', standard: '1 draw', paper: '1 draw' },
      sentinels: { shifted: 'draws shifted by −2' },
      margin: 'the draw itself',
      run: (ctx, sentinel) => {
        const x = measure(ctx.seed) - (sentinel === 'shifted' ? 2 : 0);
        return {
          verdict: x >= 0 ? 'holds' : 'violated',
          summary: text`x = ${x}`,
          metrics: { x },
          tolerances: { x: 1e-12 },
          ci: [x - 0.1, x + 0.1],
          level: 0.95,
          margin: x,
        };
      },
    }),
    defineCheck({
      name: 'exact-identity',
      kind: 'exact',
      description: '1 + 1 = 2',
      sizes: { quick: 'once', paper: 'once' },
      sentinels: { 'off-by-one': 'an off-by-one' },
      seedFree: true,
      run: (_ctx, sentinel) => ({
        verdict: sentinel === 'off-by-one' || 1 + 1 !== 2 ? 'violated' : 'holds',
        summary: text`arithmetic`,
        metrics: { two: 2 },
      }),
    }),
  ],
  figures: [
    {
      id: 'line',
      title: 'a line',
      caption: 'y = x',
      budgets: ['quick', 'standard', 'paper'],
      build: (ctx) => ({
        xLabel: 'x',
        yLabel: 'y',
        xScale: 'linear',
        yScale: 'linear',
        series: [{ name: 'y = x', style: 'line', points: [1, 2, 3].map((x) => ({ x, y: x * measure(ctx.seed) })) }],
      }),
    },
  ],
  keyResult: () => ({ label: 'two', value: 2, text: text`2` }),
};

export const VIOLATED: Claim = {
  id: 'synthetic-violated',
  title: 'A claim one check refutes, with a blind check',
  paperRef: 'test',
  statement: 'false',
  reconstructed: true,
  sources: SOURCES,
  checks: [
    defineCheck({
      name: 'refutes',
      kind: 'exact',
      description: 'always violated',
      sizes: { quick: 'once', standard: 'once', paper: 'once' },
      sentinels: {},
      run: () => ({ verdict: 'violated', summary: text`counterexample 0`, metrics: {}, witnesses: [0] }),
    }),
    defineCheck({
      name: 'blind',
      kind: 'exact',
      description: 'always holds',
      sizes: { quick: 'once', standard: 'once', paper: 'once' },
      sentinels: { anything: 'a broken variant the blind check cannot see' },
      run: () => ({ verdict: 'holds', summary: text`nothing checked`, metrics: {} }),
    }),
  ],
  figures: [],
};

export const PENDING = notBuiltClaim({
  id: 'synthetic-pending',
  title: 'Not built',
  paperRef: 'test',
  statement: 's',
  reconstructed: false,
  sources: SOURCES,
  reason: 'not built yet',
});

export const SYNTHETIC: Claim[] = [HOLDING, VIOLATED, PENDING];
