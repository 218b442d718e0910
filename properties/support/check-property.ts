/**
 * Runs a fast-check property with a recorded seed. The seed is fixed per property (so CI is
 * reproducible) unless RANKCHECK_SEED overrides it; RANKCHECK_PATH replays one shrunk case.
 * Every run is appended to reports/properties/<file>.json; a failure's message says how to replay.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import fc from 'fast-check';
import { writeFileAtomic } from '../../src/report/atomic-write.js';

export interface PropertyRecord {
  property: string;
  file: string;
  seed: number;
  numRuns: number;
  status: 'passed' | 'failed';
  /** fast-check's shrink path of the smallest counterexample, when it failed. */
  path?: string;
  counterexample?: string;
}

/** A stable default seed per property name (FNV-1a), so that adding properties moves nothing. */
export function defaultSeed(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function seedFor(name: string): number {
  const env = process.env.RANKCHECK_SEED;
  if (env === undefined || env === '') return defaultSeed(name);
  const v = Number(env);
  if (!Number.isSafeInteger(v)) throw new Error(`RANKCHECK_SEED must be an integer (got "${env}")`);
  return v;
}

function record(file: string, rec: PropertyRecord): void {
  const out = join(process.cwd(), 'reports', 'properties', `${basename(file).replace(/\.[^.]+$/, '')}.json`);
  let all: PropertyRecord[] = [];
  if (existsSync(out)) {
    try {
      all = JSON.parse(readFileSync(out, 'utf8')) as PropertyRecord[];
    } catch {
      all = [];
    }
  }
  all = all.filter((r) => r.property !== rec.property);
  all.push(rec);
  all.sort((a, b) => a.property.localeCompare(b.property));
  writeFileAtomic(out, `${JSON.stringify(all, null, 1)}\n`);
}

export interface CheckOptions {
  numRuns: number;
  /** The test file (import.meta.url), for the record and the replay command. */
  file: string;
}

/**
 * Checks `property` and returns fast-check's details; throws with a replay command on failure.
 * `expectFailure` runs a sentinel: the property must fail, and its counterexample is returned.
 */
export function checkProperty<Ts>(
  name: string,
  property: fc.IProperty<Ts>,
  options: CheckOptions,
): fc.RunDetails<Ts> {
  const seed = seedFor(name);
  const path = process.env.RANKCHECK_PATH || undefined;
  const details = fc.check(property, { seed, numRuns: options.numRuns, path, endOnFailure: false });
  const file = options.file.replace(/^file:\/\//, '');
  record(file, {
    property: name,
    file: file.replace(`${process.cwd()}/`, ''),
    seed,
    numRuns: options.numRuns,
    status: details.failed ? 'failed' : 'passed',
    path: details.failed ? (details.counterexamplePath ?? undefined) : undefined,
    counterexample: details.failed ? fc.stringify(details.counterexample) : undefined,
  });
  return details;
}

/** Asserts that the property holds; on failure the error names the seed, path and replay command. */
export function assertProperty<Ts>(name: string, property: fc.IProperty<Ts>, options: CheckOptions): void {
  const details = checkProperty(name, property, options);
  if (!details.failed) return;
  const file = options.file.replace(/^file:\/\//, '').replace(`${process.cwd()}/`, '');
  const replay = `RANKCHECK_SEED=${details.seed} RANKCHECK_PATH=${details.counterexamplePath ?? ''} npx vitest run ${file} -t ${JSON.stringify(name)}`;
  throw new Error(`${fc.defaultReportMessage(details) ?? 'property failed'}\nReplay: ${replay}`);
}

/** Asserts that a sentinel (a deliberately wrong variant) is rejected; returns its counterexample. */
export function assertRejected<Ts>(name: string, property: fc.IProperty<Ts>, options: CheckOptions): Ts {
  const details = checkProperty(name, property, options);
  if (!details.failed || details.counterexample === null) {
    throw new Error(`sentinel "${name}" was not caught in ${options.numRuns} runs (seed ${details.seed}): the check is too weak`);
  }
  return details.counterexample;
}
