/**
 * The latest grid results of each experiment claim in this run (no tfjs), so that a claim's
 * headline number can quote what its check measured without training again; emptied between runs.
 */
import { runScopedCache } from '../core/run-cache.js';
import type { SettingResult } from './settings.js';

const latest = runScopedCache<string, SettingResult[]>();

/** Records the results a claim's main check computed. */
export function recordResults(claim: string, results: SettingResult[]): void {
  latest.set(claim, results);
}

/** The results recorded for `claim` in this run, if its check ran. */
export function recordedResults(claim: string): SettingResult[] | undefined {
  return latest.get(claim);
}
