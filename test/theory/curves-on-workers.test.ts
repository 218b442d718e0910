/**
 * Curves computed on worker threads are the serial computation's, bit for bit and in the same
 * order: each chunk depends only on its own (d, trial) stream or its own (r, d).
 */
import { describe, expect, it } from 'vitest';
import { DEPARTURES, publishedComparison } from '../../src/theory/published-recipe.js';
import { figureHeads, publishedCurves } from '../../src/theory/published-curves.js';
import { headGrid, rank1Figure, rank1FigureOnWorkers } from '../../src/theory/rank1-figure.js';
import { prefixHeads } from '../../src/theory/rank1-heads.js';
import { boundLogHeads, boundLogHeadsOnWorkers } from '../../src/theory/rank-scaling.js';

describe('curves on worker threads', () => {
  it('rank1FigureOnWorkers gives rank1Figure’s rows, d-major then trial', async () => {
    const o = { ds: [4, 6, 3], maxHeads: 16, trials: 2, seed: 9, distribution: 'paper' as const };
    expect(await rank1FigureOnWorkers(o)).toEqual(rank1Figure(o));
  });

  it('publishedCurves gives, per d in order, the recipe against the exact error of the figure’s own first heads', async () => {
    const curves = await publishedCurves(3, [5, 4], 8);
    const serial = [5, 4].flatMap((d) =>
      headGrid(8).map((H) => {
        const c = publishedComparison(prefixHeads(figureHeads(3, d, 8), H), DEPARTURES, { causes: H === 8 });
        return { d, heads: H, published: c.publishedError, exact: c.exactError, causes: c.causes };
      }),
    );
    expect(curves).toEqual(serial);
  });
});

describe('the bound’s head counts on worker threads', () => {
  it('boundLogHeadsOnWorkers gives boundLogHeads at every (r, d, ε) of its grid, bit for bit', async () => {
    const [ranks, ds, eps] = [
      [1, 2],
      [16, 24, 8],
      [0.15, 0.1],
    ];
    const f = await boundLogHeadsOnWorkers(ranks, ds, eps);
    for (const r of ranks) for (const d of ds) for (const e of eps) expect(f(d, r, e)).toBe(boundLogHeads(d, r, e));
  });
});
