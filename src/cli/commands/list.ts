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
    // The paper's setting beside each budget's, and the paper's numbers with the metric of ours they are set beside.
    reach: c.reach
      ? {
          rows: c.reach.rows.map((r) => ({
            quantity: r.quantity,
            paper: r.paper,
            tested: Object.fromEntries(BUDGETS.map((b) => [b, r.tested(b)])) as Record<Budget, string | null>,
          })),
          numbers: c.reach.numbers.map((n) => ({
            label: n.label,
            paper: n.paper,
            source: n.source,
            check: n.check,
            ours: Object.fromEntries(
              BUDGETS.map((b) => {
                const at = n.ours(b);
                return [b, at ? { metric: at.metric, setting: at.setting } : null];
              }),
            ),
          })),
        }
      : null,
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
    ...(c.reach?.rows ?? []).map(
      (r) =>
        `  reach ${r.quantity}: paper ${r.paper} — ${BUDGETS.map((b) => `${b}: ${r.tested[b] ?? 'not run'}`).join('; ')}`,
    ),
    ...(c.reach?.numbers ?? []).map(
      (n) =>
        `  paper number ${n.label} = ${n.paper} (${n.source}) beside ${n.check} — ${BUDGETS.map((b) => `${b}: ${n.ours[b] ? `${n.ours[b].metric}, ${n.ours[b].setting}` : '—'}`).join('; ')}`,
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
