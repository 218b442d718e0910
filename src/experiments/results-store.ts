/**
 * The latest grid results of each experiment claim in this process (no tfjs), so that a claim's
 * headline number can quote what its check measured without training again.
 */
import type { SettingResult } from './settings.js';

const latest = new Map<string, SettingResult[]>();

/** Records the results a claim's main check computed. */
export function recordResults(claim: string, results: SettingResult[]): void {
  latest.set(claim, results);
}

/** The results recorded for `claim` in this process, if its check ran. */
export function recordedResults(claim: string): SettingResult[] | undefined {
  return latest.get(claim);
}
