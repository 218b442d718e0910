#!/usr/bin/env node
// Whether a resumed shard kept the units it had finished before it was killed: every unit that
// BEFORE.json (the shard's report as the kill left it) lists as completed is in AFTER.json (the
// report the resumed task finished) with an identical record, its durationMs included: a unit
// that was run again would have taken another time.
//   node scripts/slurm/kept-units.mjs BEFORE.json AFTER.json
// Exit 0: all kept; 1: a unit lost or changed; 2: bad input. Needs dist/ (npm run build). Whether
// the shard is complete is for the merge to say (a shard's report is partial by itself).
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { unitResultsOf } from '../../dist/src/report/assemble.js';
import { validateReport } from '../../dist/src/report/schema.js';

function read(path) {
  try {
    return validateReport(JSON.parse(readFileSync(path, 'utf8')));
  } catch (e) {
    process.stderr.write(`kept-units: ${path}: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  }
}

const [beforePath, afterPath, ...rest] = process.argv.slice(2);
if (beforePath === undefined || afterPath === undefined || rest.length > 0) {
  process.stderr.write('kept-units: usage: node scripts/slurm/kept-units.mjs BEFORE.json AFTER.json\n');
  process.exit(2);
}
const before = read(beforePath);
const after = read(afterPath);
const finished = new Set(before.completedUnits);
const afterById = new Map(unitResultsOf(after).map((r) => [r.id, r]));
const problems = [];
for (const record of unitResultsOf(before).filter((r) => finished.has(r.id))) {
  const kept = afterById.get(record.id);
  if (kept === undefined) problems.push(`${record.id}: missing from ${afterPath}`);
  else if (!isDeepStrictEqual(kept, record)) problems.push(`${record.id}: its record changed (was it run again?)`);
}
if (problems.length > 0) {
  console.log(`kept-units: ${problems.length} problem(s):`);
  for (const p of problems) console.log(`  ${p}`);
  process.exit(1);
}
console.log(
  `kept-units: all ${finished.size} units finished before the kill are in ${afterPath} unchanged (durations included); ${after.completedUnits.length - finished.size} more ran after the resume`,
);
