/**
 * Reference values computed independently (mpmath; the scripts are in scripts/reference/) and
 * kept in test/fixtures/. Checks compare against them at run time.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/core/package-root.js';

/** Parsed test/fixtures/<name>.json. */
export function readReferenceData<T>(name: string): T {
  return JSON.parse(readFileSync(join(packageRoot(), 'test', 'fixtures', `${name}.json`), 'utf8')) as T;
}

/** One computed value beside its reference, with the case it belongs to (for the witness). */
export interface Comparison<T> {
  at: T;
  got: number;
  reference: number;
}

/** The largest relative difference |got/reference − 1| over the comparisons, and where it occurs. */
export function worstRelativeDifference<T>(comparisons: readonly Comparison<T>[]): {
  worst: number;
  witness: Comparison<T> | null;
} {
  let worst = 0;
  let witness: Comparison<T> | null = null;
  for (const c of comparisons) {
    const rel = Math.abs(c.got / c.reference - 1);
    if (rel > worst) {
      worst = rel;
      witness = c;
    }
  }
  return { worst, witness };
}
