/** The few lines a terminal shows after a run (verify, stability): pure functions of the document. */
import { join } from 'node:path';
import type { ClaimReport, Report } from './schema.js';
import { stabilityPhrase } from './stability-render.js';
import type { StabilityFile } from './stability-schema.js';

/** A claim's verdict in words (older reports carry only the verdict). */
export const labelOf = (c: ClaimReport): string => c.verdictLabel ?? c.verdict;

/** The command that reruns one failed check on its shrunk counterexample. */
export function replayCommand(report: Report, claim: string, check: string, path: string): string {
  const p = report.provenance;
  return `rankcheck verify --claim ${claim} --budget ${p.budget} --seed ${p.seed} --replay ${claim}/check/${check}=${path}`;
}

/** What `verify` prints: a line per claim, replay commands of violated checks, the sentinels, where the files are. */
export function verifySummary(
  report: Report,
  outDir: string,
  crashed: readonly string[],
  interrupted: boolean,
): string {
  const lines = [
    `rankcheck verify — budget ${report.provenance.budget}, seed ${report.provenance.seed}${report.provenance.shard ? `, shard ${report.provenance.shard.index}/${report.provenance.shard.count}` : ''}`,
  ];
  const width = Math.max(...report.claims.map((c) => c.id.length));
  const labelWidth = Math.max(12, ...report.claims.map((c) => labelOf(c).length));
  for (const c of report.claims) {
    lines.push(
      `  ${c.id.padEnd(width)}  ${labelOf(c).padEnd(labelWidth)}  ${c.keyResult ? `${c.keyResult.label}: ${c.keyResult.text}` : (c.notRunReason ?? '')}`,
    );
    // A claim that ran names what it left untested; one that did not run says why on its own line.
    if (c.verdict !== 'not-run')
      for (const p of c.parts.filter((x) => !x.tested))
        lines.push(`  ${' '.repeat(width)}    untested: ${p.id} — ${p.reason}`);
  }
  for (const c of report.claims) {
    for (const k of c.checks)
      if (k.verdict === 'violated' && k.replay.path)
        lines.push(`  replay ${c.id}/${k.name}: ${replayCommand(report, c.id, k.name, k.replay.path)}`);
  }
  const missed = report.sensitivity.filter((s) => !s.caught);
  lines.push(
    `  sentinels caught: ${report.sensitivity.length - missed.length}/${report.sensitivity.length}${missed.length ? ` — MISSED: ${missed.map((s) => `${s.claim}/${s.sentinel}@${s.check}`).join(', ')}` : ''}`,
  );
  if (crashed.length) lines.push(`  crashed: ${crashed.join(', ')}`);
  if (interrupted)
    lines.push(
      `  interrupted: ${report.completedUnits.length} units kept; continue with: rankcheck verify --resume ${outDir}`,
    );
  lines.push(`  report: ${join(outDir, 'report.html')} (also report.md, report.json)`);
  return lines.join('\n');
}

/** What `stability` prints: a line per claim with its label, and where the files are. */
export function stabilitySummary(
  f: StabilityFile,
  outDir: string,
  crashed: readonly string[],
  interrupted: boolean,
): string {
  const s = f.summary;
  const width = Math.max(...s.claims.map((c) => c.id.length));
  const lines = [
    `rankcheck stability — budget ${s.budget}, ${s.seeds.length} root seeds${f.provenance.shard ? `, shard ${f.provenance.shard.index}/${f.provenance.shard.count}` : ''}`,
  ];
  for (const c of s.claims)
    lines.push(`  ${c.id.padEnd(width)}  ${c.label.padEnd(8)}  ${stabilityPhrase(c, s.seeds.length)}`);
  if (crashed.length) lines.push(`  crashed: ${crashed.join(', ')}`);
  if (interrupted)
    lines.push(`  interrupted: ${f.records.length} units kept; continue with: rankcheck stability --resume ${outDir}`);
  lines.push(`  report: ${join(outDir, 'stability.html')} (also stability.md, stability.json)`);
  return lines.join('\n');
}

/** The --json object of `stability`: the summary in the documented shape. */
export function stabilityJson(f: StabilityFile) {
  const s = f.summary;
  return {
    budget: s.budget,
    seeds: s.seeds,
    claims: s.claims.map((c) => ({
      id: c.id,
      label: c.label,
      verdicts: c.verdicts,
      flakySeeds: c.flakySeeds,
      blindSeeds: c.blindSeeds,
      checks: c.checks.map((k) => ({
        name: k.name,
        passRate: k.passRate,
        worstMargin: k.worstMargin,
        marginUnit: k.marginUnit,
        seedFree: k.seedFree,
      })),
      sentinels: c.sentinels.map((x) => ({ name: `${x.name}@${x.check}`, caught: x.caught, of: x.of })),
    })),
    complete: s.complete,
  };
}
