/**
 * The adversary of Theorem 2: trained low-rank attention never gets below the bound. Run by
 * vitest (search.property.ts, through the Theorem-2 claim) and by `rankcheck verify`.
 *
 * Configurations are drawn where the bound is nearly tight (d = 6…10, rank 1 or 2, 2…16 heads):
 * there the best trained models come within a few per cent of it, so this is where a wrong bound
 * would show, and where an overstated one (the sentinel) is caught.
 */
import fc from 'fast-check';
import { defineProperty, propertyCheck } from '../../src/audit/property-check.js';
import type { CheckDef } from '../../src/core/vocabulary.js';
import { SEARCH_BUDGETS, SEARCH_LEVEL } from '../../src/search/budgets.js';
import { VARIANTS, type Variant } from '../../src/search/variants.js';

/** SENTINEL factor: the bound overstated by 20%. */
export const INFLATED_SEARCH_FACTOR = 1.2;

const trainedModelsRespectBound = defineProperty({
  name: 'trained-models-respect-bound',
  kind: 'search',
  description:
    'For generated (d, r < d, H, variant, seed), rank-r H-head attention trained with Adam from several restarts (random learning rates and initial scales) never has an exact D_2 error whose whole interval lies below LB(d, r, H).',
  runs: { quick: 3, standard: 5, paper: 40 },
  perCase: `${SEARCH_BUDGETS.quick.restarts}/${SEARCH_BUDGETS.standard.restarts}/${SEARCH_BUDGETS.paper.restarts} restarts of ${SEARCH_BUDGETS.quick.steps}/${SEARCH_BUDGETS.standard.steps}/${SEARCH_BUDGETS.paper.steps} steps (quick/standard/paper)`,
  level: SEARCH_LEVEL,
  margin: { observation: 'relativeGapToBound', unit: '(best trained error − LB)/LB, smallest over cases' },
  sentinels: {
    'illegal-full-query': 'an "illegal" model that reads the full query (rank d) while reported as rank r',
    'inflated-bound': `the bound overstated ×${INFLATED_SEARCH_FACTOR}, which trained models must beat`,
  },
  property: (sentinel, budget, observe) => {
    const b = SEARCH_BUDGETS[budget];
    return fc.asyncProperty(
      fc.integer({ min: 6, max: 10 }),
      fc.constantFrom(1, 2),
      fc.constantFrom(2, 4, 8, 16),
      fc.constantFrom<Variant>(...VARIANTS),
      fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      async (d, r, heads, modelVariant, seed) => {
        // Loaded on first use: tfjs takes a second to load and most runs never train.
        const { searchForCounterexample } = await import('../../src/search/search.js');
        const res = await searchForCounterexample({
          d,
          r,
          heads,
          variant: modelVariant,
          restarts: b.restarts,
          steps: b.steps,
          batch: b.batch,
          evalSamples: b.evalSamples,
          level: SEARCH_LEVEL,
          seed,
          illegalFullQuery: sentinel === 'illegal-full-query',
          boundFactor: sentinel === 'inflated-bound' ? INFLATED_SEARCH_FACTOR : 1,
          // The full-rank control is its own check (full-rank-control-separates); not needed here.
          withControl: false,
        });
        if (res.best) observe({ relativeGapToBound: (res.best.error - res.lowerBound) / res.lowerBound });
        return res.counterexample === null;
      },
    );
  },
});

export const SEARCH_PROPERTY_CHECKS: CheckDef[] = [propertyCheck(trainedModelsRespectBound)];
