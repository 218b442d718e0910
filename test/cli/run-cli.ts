/** Runs the built `rankcheck` command in a child process, as a user would. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/rankcheck.js', import.meta.url));

export function runCli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  return runCliWithEnv({}, ...args);
}

/** runCli with these variables added to (or, when empty, cleared from) the environment. */
export function runCliWithEnv(
  env: Record<string, string>,
  ...args: string[]
): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The bad-input contract: exit 2, nothing on stdout, one line on stderr naming the problem. */
export function expectUsageError(args: string[], names: RegExp, env: Record<string, string> = {}): void {
  const r = runCliWithEnv(env, ...args);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^rankcheck: /);
  expect(lines[0]).toMatch(names);
}
