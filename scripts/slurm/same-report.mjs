#!/usr/bin/env node
// Whether two report.json (or two stability.json) files hold exactly the same results: every
// number and string must be identical once what differs between any two runs of the same results
// is removed: timings, the start time, which shard ran, the provenance's backend label, and each
// unit's ranOn.tfjs, which names the tfjs backend loaded in the process when the unit ended (the
// runner reads it then), so a unit that never trains says "wasm" after a training unit ran in the
// same process and null in a shard where none did; likewise its ranOn.trainer, named on the same
// condition (training has run in the process). Also a unit's draw fingerprint and its list of
// reused units: they record what the process computed against what it found cached (a unit that
// reuses figure-1's trainings in the whole run trains them itself in a shard without them), so
// they depend on which units share a process; the numbers they lead to are compared exactly.
//   node scripts/slurm/same-report.mjs UNSHARDED.json MERGED.json
// Exit 0: the same; 1: they differ (up to 20 differences are named, by JSON path); 2: bad input.
import { readFileSync } from 'node:fs';

/** Keys dropped at any depth: how long something took, and when it started. */
const TIMING_KEYS = new Set(['startedAt', 'durationMs', 'seconds', 'milliseconds']);
/** Keys dropped at any depth besides: what a process drew itself and what it reused (see the head of this file). */
const PROCESS_KEYS = new Set(['fingerprint', 'reused']);
/** Keys of the provenance block dropped besides: which shard ran, and the evaluator backend label. */
const PROVENANCE_KEYS = new Set(['shard', 'backend']);
/** Keys of a unit's ranOn dropped besides (see the head of this file). */
const RAN_ON_KEYS = new Set(['tfjs', 'trainer']);
const SHOWN = 20;

function fail(message) {
  process.stderr.write(`same-report: ${message}\n`);
  process.exit(2);
}

function read(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    fail(`${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** A copy of `value` without the dropped keys. */
function strip(value, key) {
  if (Array.isArray(value)) return value.map((v) => strip(v, null));
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const [k, v] of Object.entries(value)) {
    if (TIMING_KEYS.has(k) || PROCESS_KEYS.has(k)) continue;
    if (key === 'provenance' && PROVENANCE_KEYS.has(k)) continue;
    if (key === 'ranOn' && RAN_ON_KEYS.has(k)) continue;
    out[k] = strip(v, k);
  }
  return out;
}

/** Every path at which `a` and `b` differ (numbers compared exactly, NaN equal to NaN). */
function differences(a, b, path, out) {
  if (out.length > SHOWN) return out;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push(`${path}: ${a.length} entries, not ${b.length}`);
    for (let i = 0; i < Math.min(a.length, b.length); i++) differences(a[i], b[i], `${path}[${i}]`, out);
    return out;
  }
  if (
    a !== null &&
    b !== null &&
    typeof a === 'object' &&
    typeof b === 'object' &&
    !Array.isArray(a) &&
    !Array.isArray(b)
  ) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (!(k in a)) out.push(`${path}.${k}: only in the second`);
      else if (!(k in b)) out.push(`${path}.${k}: only in the first`);
      else differences(a[k], b[k], `${path}.${k}`, out);
    }
    return out;
  }
  if (!Object.is(a, b) && !(Number.isNaN(a) && Number.isNaN(b)))
    out.push(`${path}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`);
  return out;
}

const [first, second, ...rest] = process.argv.slice(2);
if (first === undefined || second === undefined || rest.length > 0)
  fail('usage: node scripts/slurm/same-report.mjs A.json B.json');
const found = differences(strip(read(first), null), strip(read(second), null), '$', []);
if (found.length === 0) {
  console.log(`same-report: ${first} and ${second} hold the same results (timings, shard and backend labels left out)`);
  process.exit(0);
}
console.log(`same-report: ${first} and ${second} differ:`);
for (const d of found.slice(0, SHOWN)) console.log(`  ${d}`);
if (found.length > SHOWN) console.log('  … and more');
process.exit(1);
