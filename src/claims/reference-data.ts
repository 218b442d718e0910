/**
 * Reference values computed independently (mpmath; the scripts are in scripts/reference/) and
 * kept in test/fixtures/. Claims compare against them at run time, so they are located from the
 * package root, which is found the same way from the sources (tests) and from dist/.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The directory holding rankcheck's package.json, searched upwards from this module. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate) && (JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === 'rankcheck') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the rankcheck package root');
    dir = up;
  }
}

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
export function worstRelativeDifference<T>(comparisons: readonly Comparison<T>[]): { worst: number; witness: Comparison<T> | null } {
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
