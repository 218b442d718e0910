/**
 * Regression check between two reports: a claim's verdict got worse, a sentinel stopped being
 * caught, or an exact metric moved beyond its recorded tolerance.
 */
import { VERDICT_RANK as RANK } from '../core/verdicts.js';
import type { Report } from './schema.js';

export interface Comparison {
  regressions: string[];
  /** Changes that are not regressions (improvements, new claims, moved metrics without tolerance). */
  notes: string[];
}

/** Compares `current` against `base`. */
export function compareReports(base: Report, current: Report): Comparison {
  const regressions: string[] = [];
  const notes: string[] = [];
  for (const b of base.claims) {
    const c = current.claims.find((x) => x.id === b.id);
    if (!c) {
      regressions.push(`claim ${b.id} is missing from the current report`);
      continue;
    }
    if (RANK[c.verdict] < RANK[b.verdict]) regressions.push(`claim ${b.id}: verdict ${b.verdict} → ${c.verdict}`);
    else if (RANK[c.verdict] > RANK[b.verdict]) notes.push(`claim ${b.id}: verdict ${b.verdict} → ${c.verdict}`);
    for (const bc of b.checks) {
      const cc = c.checks.find((x) => x.name === bc.name);
      if (!cc) {
        notes.push(`claim ${b.id}: check ${bc.name} is no longer run`);
        continue;
      }
      if (cc.verdict !== bc.verdict) notes.push(`claim ${b.id}, check ${bc.name}: ${bc.verdict} → ${cc.verdict}`);
      for (const [metric, tol] of Object.entries(bc.tolerances)) {
        const was = bc.metrics[metric];
        const now = cc.metrics[metric];
        if (was === null || was === undefined) continue;
        if (now === null || now === undefined) {
          regressions.push(`claim ${b.id}, check ${bc.name}: exact metric ${metric} disappeared`);
        } else if (Math.abs(now - was) > tol * Math.max(Math.abs(was), Number.MIN_VALUE)) {
          regressions.push(
            `claim ${b.id}, check ${bc.name}: exact metric ${metric} moved from ${was} to ${now} (tolerance ${tol} relative)`,
          );
        }
      }
    }
  }
  for (const c of current.claims) if (!base.claims.some((b) => b.id === c.id)) notes.push(`claim ${c.id} is new`);
  for (const bs of base.sensitivity) {
    const cs = current.sensitivity.find(
      (x) => x.claim === bs.claim && x.sentinel === bs.sentinel && x.check === bs.check,
    );
    if (bs.caught && (!cs || !cs.caught))
      regressions.push(
        `sentinel ${bs.claim}/${bs.sentinel} is no longer caught by ${bs.check}${cs ? ` (verdict ${cs.verdict})` : ' (not run)'}`,
      );
  }
  if (current.partial) regressions.push('the current report is partial');
  return { regressions, notes };
}
