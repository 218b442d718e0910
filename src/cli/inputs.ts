/**
 * The CLI's inputs that several commands share: report and stability files, --claim, --shard and
 * --seeds. Every problem is bad input: a UsageError naming the option or file.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Registry } from '../audit/registry.js';
import { join } from 'node:path';
import { packageRoot } from '../core/package-root.js';
import type { Budget, Claim } from '../core/vocabulary.js';
import { stabilityBaseline, type StabilityBaseline } from '../report/assemble.js';
import { validateReport, type Report } from '../report/schema.js';
import { validateStabilityFile, type StabilityFile } from '../report/stability-schema.js';
import { claimById } from '../audit/registry.js';
import type { Shard } from '../session/shard-set.js';
import { UsageError } from './usage-error.js';

/** Parsed JSON of a file, or bad input naming `what`. */
function readJson(path: string, what: string): unknown {
  if (!existsSync(path)) throw new UsageError(`${what}: no such file ${path}`);
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`${what}: ${path} is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** Reads and validates a report file; every problem is bad input naming `what` and the path. */
export function readReport(path: string, what: string): Report {
  const data = readJson(path, what);
  try {
    return validateReport(data);
  } catch (e) {
    throw new UsageError(`${what}: ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Reads and validates a stability file; every problem is bad input naming `what` and the path. */
export function readStabilityFile(path: string, what: string): StabilityFile {
  const data = readJson(path, what);
  try {
    return validateStabilityFile(data);
  } catch (e) {
    throw new UsageError(`${what}: ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Whether a JSON file is a stability file (its kind field says so), for merge. */
export function isStabilityFile(path: string): boolean {
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { kind?: unknown }).kind === 'rankcheck-stability';
  } catch {
    return false;
  }
}

/** The claims named by --claim (repeat or comma-separate), in registry order; all when none is named. */
export function selectClaims(registry: Registry, ids: string[] | undefined): Claim[] {
  if (!ids || ids.length === 0) return [...registry.claims];
  const wanted = ids
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  for (const id of wanted)
    if (!claimById(registry, id)) throw new UsageError(`--claim: unknown claim "${id}" (see rankcheck list)`);
  return registry.claims.filter((c) => wanted.includes(c.id));
}

/** --shard i/n: shard i of n, 1 ≤ i ≤ n; null when not given. */
export function parseShard(text: string | undefined): Shard | null {
  if (text === undefined) return null;
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new UsageError(`--shard must look like i/n, e.g. 2/8 (got "${text}")`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (!(count >= 1 && index >= 1 && index <= count)) throw new UsageError(`--shard i/n needs 1 ≤ i ≤ n (got ${text})`);
  return { index, count };
}

/** --resume with --shard: the shard given must be the one the resumed file was written for. */
export function requireSameShard(recorded: Shard | null, given: Shard | null, what: string): void {
  const same =
    recorded === null || given === null
      ? recorded === given
      : recorded.index === given.index && recorded.count === given.count;
  if (!same)
    throw new UsageError(
      `--resume: ${what} is for shard ${recorded ? `${recorded.index}/${recorded.count}` : 'none'}; give the same --shard`,
    );
}

/** "--seeds N" (seeds 0 … N−1) or "--seeds A-B" (A … B inclusive). */
export function parseSeeds(text: string): number[] {
  const t = text.trim();
  let from: number;
  let to: number;
  if (/^\d+$/.test(t)) {
    from = 0;
    to = Number(t) - 1;
    if (to < 0) throw new UsageError(`--seeds N needs N ≥ 1 (got ${text})`);
  } else {
    const m = /^(\d+)-(\d+)$/.exec(t);
    if (!m) throw new UsageError(`--seeds must be a count N or a range A-B, e.g. 20 or 0-19 (got "${text}")`);
    from = Number(m[1]);
    to = Number(m[2]);
    if (to < from) throw new UsageError(`--seeds A-B needs A ≤ B (got ${text})`);
  }
  if (to > 2 ** 31 - 1) throw new UsageError(`--seeds: seeds must be below 2^31 (got ${text})`);
  if (to - from + 1 > 10_000) throw new UsageError(`--seeds: at most 10000 seeds (got ${to - from + 1})`);
  return Array.from({ length: to - from + 1 }, (_, k) => from + k);
}

/** Where the committed stability baseline of a budget lives. */
export function committedStabilityPath(budget: Budget): string {
  return join(packageRoot(), 'reports', 'baseline', `stability-${budget}.json`);
}

/** The committed stability baseline of a budget (reports/baseline/stability-BUDGET.json), or null when there is none. */
export function readStabilityBaseline(budget: Budget): StabilityBaseline | null {
  const path = committedStabilityPath(budget);
  return existsSync(path) ? stabilityBaseline(readStabilityFile(path, 'the stability baseline')) : null;
}

/**
 * Bad input when the document already in DIR belongs to another run than the one asked for
 * (continuing it would mix two runs); `asked` and `held` name each field of a run identically.
 */
export function requireSameRun(
  dir: string,
  what: string,
  asked: Readonly<Record<string, string>>,
  held: Readonly<Record<string, string>>,
): void {
  const differ = Object.keys(asked).filter((k) => asked[k] !== held[k]);
  if (differ.length > 0)
    throw new UsageError(
      `${dir} holds the ${what} of another run (${differ.map((k) => `${k} ${held[k]}, not ${asked[k]}`).join('; ')}); remove it or choose another --out`,
    );
}

/** A shard as the words a run is compared by ("2/8", or "none"). */
export const shardText = (s: Shard | null): string => (s ? `${s.index}/${s.count}` : 'none');
