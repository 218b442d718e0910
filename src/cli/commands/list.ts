/** `rankcheck list`: the registered claims, where their mathematics lives, and what each budget runs. */
import type { Command } from 'commander';
import type { Registry } from '../../audit/registry.js';
import { unitsFor } from '../../audit/units.js';
import { partsOf, untestedReason } from '../../core/parts.js';
import { BUDGETS, claimSentinels, type Budget, type Claim } from '../../core/vocabulary.js';
import { printResult } from '../print.js';

export function registerList(program: Command, registry: Registry): void {
  program
    .command('list')
    .description('the registered claims, where their mathematics lives, and what each budget runs')
    .option('--json', 'print one JSON object on stdout')
    .action((o: { json?: boolean }) => list(o, registry));
}

/** What `list` says of one claim. */
function claimEntry(c: Claim) {
  return {
    id: c.id,
    title: c.title,
    paperRef: c.paperRef,
    reconstructed: c.reconstructed,
    sources: c.sources,
    notRunReason: c.notRunReason ?? null,
    checks: c.checks.map((k) => ({
      name: k.name,
      kind: k.kind,
      description: k.description,
      budgets: k.sizes,
      seedFree: k.seedFree === true,
    })),
    conjecture: c.conjecture === true,
    parts: partsOf(c).map((p) => ({
      id: p.id,
      statement: p.statement,
      checks: [...p.checks],
      // Per budget: null when tested there, else why not.
      untested: Object.fromEntries(
        BUDGETS.map((b) => [b, c.notRunReason ?? c.notRunAt?.[b] ?? untestedReason(c, p, b)]),
      ) as Record<Budget, string | null>,
    })),
    sentinels: claimSentinels(c),
    figures: c.figures.map((f) => ({ id: f.id, title: f.title, budgets: f.budgets })),
    units: Object.fromEntries(BUDGETS.map((b) => [b, unitsFor([c], b, 0).length])),
  };
}

/** The lines of one claim's entry. */
function claimText(c: ReturnType<typeof claimEntry>): string {
  return [
    `${c.id} — ${c.title} (${c.paperRef})${c.notRunReason ? `\n  not run: ${c.notRunReason}` : ''}`,
    `  derivation ${c.sources.proofNote}; code ${c.sources.code.join(', ')}; checks ${c.sources.checks}`,
    ...c.parts.map(
      (p) =>
        `  part ${p.id}: ${p.statement} — ${BUDGETS.map((b) => `${b}: ${p.untested[b] === null ? 'tested' : 'untested'}`).join('; ')}${p.checks.length ? ` (${p.checks.join(', ')})` : ''}`,
    ),
    ...c.checks.map(
      (k) => `  check ${k.name} [${k.kind}]: ${BUDGETS.map((b) => `${b}: ${k.budgets[b] ?? '—'}`).join('; ')}`,
    ),
    ...c.sentinels.map((s) => `  sentinel ${s.name} → ${s.check}: ${s.description}`),
    ...c.figures.map((f) => `  figure ${f.id}: ${f.title}`),
  ].join('\n');
}

/** The action of `list`. */
function list(o: { json?: boolean }, registry: Registry): void {
  const claims = registry.claims.map(claimEntry);
  printResult({ claims }, o.json, () => claims.map(claimText).join('\n\n'));
}
