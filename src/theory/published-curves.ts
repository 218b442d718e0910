/**
 * The released script's random-features number against the exact error along the figure's head
 * grid, one curve per d: each curve is independent of the others (its own heads, drawn from the
 * figure's stream for that d), so the curves run on worker threads with the same bits as one after
 * another.
 */
import { runChunksOnCores } from '../core/parallel.js';
import { randomRawHeads } from './head-distributions.js';
import { DEPARTURES, publishedComparison, type Departure } from './published-recipe.js';
import { figureTrialRng, headGrid } from './rank1-figure.js';
import { prefixHeads, type RawHeads } from './rank1-heads.js';

/** One point of a curve: the published number and the exact error of the first `heads` heads. */
export interface PublishedCurvePoint {
  d: number;
  heads: number;
  published: number;
  exact: number;
  /** Each departure's effect alone, at the largest H of the curve only. */
  causes: Record<Departure, number> | null;
}

/** The figure's own heads: trial 0 of rank1Figure's draw for this d, as the script holds them. */
export function figureHeads(claimSeed: number, d: number, count: number): RawHeads {
  return randomRawHeads(figureTrialRng(claimSeed, d, 0), d, count, 'paper');
}

interface CurveTask {
  claimSeed: number;
  ds: number[];
  maxHeads: number;
}

/** Chunk i: the curve of ds[i] (worker entry: published-curves-worker.ts). */
export function publishedCurve(t: CurveTask, i: number): PublishedCurvePoint[] {
  const d = t.ds[i];
  const raw = figureHeads(t.claimSeed, d, t.maxHeads);
  return headGrid(t.maxHeads).map((H) => {
    const c = publishedComparison(prefixHeads(raw, H), DEPARTURES, { causes: H === t.maxHeads });
    return { d, heads: H, published: c.publishedError, exact: c.exactError, causes: c.causes };
  });
}

/** maxHeads ≤ 4096; the curves of every d in `ds`, in that order, along headGrid(maxHeads). */
export async function publishedCurves(
  claimSeed: number,
  ds: readonly number[],
  maxHeads: number,
): Promise<PublishedCurvePoint[]> {
  const curves = await runChunksOnCores(
    ds.length,
    { claimSeed, ds: [...ds], maxHeads } satisfies CurveTask,
    publishedCurve,
    import.meta.url,
    'published-curves-worker',
  );
  return curves.flat();
}
