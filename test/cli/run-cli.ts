/** Runs the built `rankcheck` command in a child process, as a user would. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/rankcheck.js', import.meta.url));

/** Variables by which a scheduler hands the CLI a shard, cores or a restart (src/cli/cluster-env.ts). */
const SCHEDULER = /^(SLURM_|JOB_COMPLETION_INDEX$|RANKCHECK_SHARD_COUNT$)/;

/**
 * The environment of a child: this process's, less any scheduler variables (a test run inside a
 * Slurm job must not turn every verify into a shard), plus `extra`.
 */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !SCHEDULER.test(k)));
  return { ...env, ...extra };
}

/** Runs rankcheck with `extra` added to a scheduler-free environment. */
export function runCliWith(
  extra: Record<string, string>,
  ...args: string[]
): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: childEnv(extra) });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function runCli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  return runCliWith({}, ...args);
}

/** The bad-input contract: exit 2, nothing on stdout, one line on stderr naming the problem. */
export function expectUsageError(args: string[], names: RegExp, env: Record<string, string> = {}): void {
  const r = runCliWith(env, ...args);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^rankcheck: /);
  expect(lines[0]).toMatch(names);
}
