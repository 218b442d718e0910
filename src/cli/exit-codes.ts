/** Exit codes of the audit commands (0 success, 1 a claim violated, a sentinel missed or a check crashed, 130 interrupted). */
import { stabilityExitCode } from '../audit/stability.js';
import type { Report } from '../report/schema.js';
import type { StabilityFile } from '../report/stability-schema.js';

/** Exit code of a finished audit: 1 when a claim is violated, a sentinel missed or a check crashed. */
export function auditExitCode(report: Report, crashed: readonly string[]): number {
  const violated = report.claims.some((c) => c.verdict === 'violated');
  const missed = report.sensitivity.some((s) => !s.caught);
  return violated || missed || crashed.length > 0 ? 1 : 0;
}

/** Exit code of a stability run: 130 interrupted, 1 a crash or an unstable claim, 0 for a partial (sharded) file. */
export function stabilityRunExitCode(file: StabilityFile, crashed: readonly string[], interrupted: boolean): number {
  if (interrupted) return 130;
  if (crashed.length > 0) return 1;
  return file.partial ? 0 : stabilityExitCode(file.summary);
}
