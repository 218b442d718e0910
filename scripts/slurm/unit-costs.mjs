#!/usr/bin/env node
// The measured cost of each claim in a report.json or stability.json, to size an array: units,
// unit-seconds (the sum of the units' durationMs; a stability file's per root seed, its seed-free
// units counted once) and the longest unit (no array can finish sooner).
//   node scripts/slurm/unit-costs.mjs FILE.json [--markdown]
// Exit 0, or 2 on bad input.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const markdown = args.includes('--markdown');
const files = args.filter((a) => a !== '--markdown');
if (files.length !== 1) {
  process.stderr.write('unit-costs: usage: node scripts/slurm/unit-costs.mjs FILE.json [--markdown]\n');
  process.exit(2);
}
let doc;
try {
  doc = JSON.parse(readFileSync(files[0], 'utf8'));
} catch (e) {
  process.stderr.write(`unit-costs: ${files[0]}: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(2);
}

/** [claim, durationMs] of every unit the file holds. */
function units() {
  if (doc.kind === 'rankcheck-stability') return doc.records.map((r) => [r.claim, r.durationMs ?? 0]);
  if (!Array.isArray(doc.claims)) {
    process.stderr.write(`unit-costs: ${files[0]} is neither a report nor a stability file\n`);
    process.exit(2);
  }
  return [
    ...doc.claims.flatMap((c) => [...c.checks, ...c.figures].map((u) => [c.id, u.durationMs ?? 0])),
    ...doc.sensitivity.map((s) => [s.claim, s.durationMs ?? 0]),
  ];
}

const seeds = doc.kind === 'rankcheck-stability' ? doc.summary.seeds.length : 1;
const byClaim = new Map();
for (const [claim, ms] of units()) {
  const c = byClaim.get(claim) ?? { units: 0, ms: 0, longest: 0 };
  c.units += 1;
  c.ms += ms;
  c.longest = Math.max(c.longest, ms);
  byClaim.set(claim, c);
}
const s = (ms) => (ms / 1000).toFixed(1);
const rows = [...byClaim].map(([claim, c]) => [claim, String(c.units), s(c.ms / seeds), s(c.longest)]);
const total = [...byClaim.values()].reduce((a, c) => ({ units: a.units + c.units, ms: a.ms + c.ms }), {
  units: 0,
  ms: 0,
});
rows.push(['total', String(total.units), s(total.ms / seeds), '']);
const head = ['claim', 'units', seeds > 1 ? 'unit-s per seed' : 'unit-s', 'longest unit s'];
const p = doc.provenance;
console.log(`${files[0]}: budget ${p.budget}, ${seeds} root seed(s), ${p.cpus} cpus, started ${p.startedAt}`);
if (markdown) {
  console.log(`| ${head.join(' | ')} |\n|${head.map(() => '---').join('|')}|`);
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
} else {
  for (const r of [head, ...rows]) console.log(r.map((x, i) => (i === 0 ? x.padEnd(18) : x.padStart(16))).join(''));
}
