/** report.md: a one-screen summary table, then a section per claim, then the sensitivity table. */
import { formatNumber } from '../core/format.js';
import { auditVerdictText, discrepancySectionMarkdown, discrepancySummary } from './discrepancy-render.js';
import { markdownTable as table } from './markdown-table.js';
import { reusedText } from './reused-text.js';
import { labelOf } from './run-summary.js';
import { reachMarkdown } from './reach-render.js';
import { stabilityPhrase, stabilitySectionMarkdown } from './stability-render.js';
import type { CheckReport, ClaimReport, Report } from './schema.js';

const VERDICT_MARK: Record<string, string> = {
  holds: '✅ holds',
  violated: '❌ violated',
  inconclusive: '⚠️ inconclusive',
  'not-run': '⏸ not-run',
};

/** The verdict's mark with its words ("✅ holds in part (1 of 2 parts tested)"). */
const markOf = (c: ClaimReport) => `${VERDICT_MARK[c.verdict].split(' ')[0]} ${labelOf(c)}`;

function metricsText(c: CheckReport): string {
  return Object.entries(c.metrics)
    .map(([k, v]) => `${k} = ${formatNumber(v)}`)
    .join(', ');
}

/** The Markdown report. */
export function renderMarkdown(r: Report): string {
  return [
    ...headerMarkdown(r),
    ...r.claims.flatMap(claimMarkdown),
    ...sensitivityMarkdown(r),
    discrepancySectionMarkdown(r),
    ...stabilityMarkdown(r),
  ].join('\n');
}

/** Title, provenance, the summary table of claims, the sentinel count and how to read verdicts. */
function headerMarkdown(r: Report): string[] {
  const p = r.provenance;
  const missed = r.sensitivity.filter((s) => !s.caught);
  const out: string[] = [];
  out.push('# rankcheck audit of "On the Benefits of Rank in Attention Layers" (arXiv 2407.16153)');
  out.push('');
  if (r.partial)
    out.push(
      `> **Partial report**: ${r.completedUnits.length} units finished${p.shard ? ` (shard ${p.shard.index}/${p.shard.count})` : ''}; run \`rankcheck verify --resume DIR\` to finish it${p.shard ? ', or merge the shards' : ''}.\n`,
    );
  out.push(
    `Budget **${p.budget}**, seed ${p.seed}, rankcheck ${r.tool.version}, commit ${p.gitCommit ?? 'unknown'}${p.dirty ? ' (uncommitted changes)' : ''}, Node ${p.node} on ${p.platform} (${p.cpus} cpus), backend ${p.backend}, started ${p.startedAt}, ${(p.durationMs / 1000).toFixed(1)} s.`,
  );
  out.push('');
  out.push(
    table(
      ['claim', 'verdict', 'key number', 'confidence'],
      r.claims.map((c) => [
        `[${c.id}](#${c.id}) — ${c.title}`,
        c.stability ? `${markOf(c)} — ${stabilityPhrase(c.stability, c.stability.seeds)}` : markOf(c),
        c.keyResult ? `${c.keyResult.label}: ${c.keyResult.text}` : '—',
        c.confidence ?? c.notRunReason ?? '—',
      ]),
    ),
  );
  out.push('');
  out.push(
    `Sentinels: ${r.sensitivity.length - missed.length} of ${r.sensitivity.length} caught${missed.length ? ` — **missed: ${missed.map((s) => `${s.claim}/${s.sentinel} (${s.check})`).join(', ')}**` : ''}.`,
  );
  const discrepancies = discrepancySummary(r);
  if (discrepancies)
    out.push(
      '',
      `${discrepancies}, listed [below](#discrepancies-in-the-papers-computations); findings about its computations, not verdicts on its claims.`,
    );
  out.push('');
  out.push(
    'Verdicts: *holds* — every check of the budget passed; *violated* — a check found a counterexample; *inconclusive* — the evidence was not decisive (or not every check ran); *not-run* — not checked (the reason is given). A *sentinel* is a deliberately broken variant a check must reject; a missed sentinel means the check is blind, and `verify` exits 1.',
  );
  return out;
}

/** A claim's section: statement, sources, its checks table and its figures. */
function claimMarkdown(c: ClaimReport): string[] {
  const out: string[] = [];
  out.push('');
  out.push(`## ${c.id}`);
  out.push('');
  out.push(`**${c.title}** — ${c.paperRef}. Verdict: **${markOf(c)}**.`);
  if (c.sources) {
    const link = (path: string) => `[\`${path}\`](../../${path})`;
    out.push(
      '',
      `Derivation ${link(c.sources.proofNote)}; code ${c.sources.code.map(link).join(', ')}; checks ${link(c.sources.checks)}.`,
    );
  }
  out.push('');
  out.push(`> ${c.statement}${c.reconstructed ? ' *(Reconstructed: see the statement.)*' : ''}`);
  if (c.parts.length)
    out.push(
      '',
      table(
        ['part', 'the paper says', 'at this budget', 'checks'],
        c.parts.map((p) => [
          p.id,
          p.statement,
          p.tested ? VERDICT_MARK[p.verdict] : `untested: ${p.reason ?? ''}`,
          p.checks.join(', ') || '—',
        ]),
      ),
    );
  out.push(...reachMarkdown(c));
  if (c.notRunReason) out.push('', `Not run: ${c.notRunReason}.`);
  if (c.checks.length) {
    out.push('');
    out.push(
      table(
        ['check', 'kind', 'verdict', 'what came out', 'metrics', 'replay'],
        c.checks.map((k) => [
          k.name,
          k.kind,
          auditVerdictText(k) ?? VERDICT_MARK[k.verdict],
          k.reused?.length ? `${k.summary} — ${reusedText(k.reused)}` : k.summary,
          metricsText(k),
          `seed ${k.replay.seed}${k.replay.path ? `, path ${k.replay.path}` : ''}`,
        ]),
      ),
    );
  }
  for (const f of c.figures.filter((x) => !x.discrepancy))
    out.push('', `*Figure — ${f.title}.* ${f.caption} (plotted in report.html)`);
  return out;
}

/** The table of every sentinel and whether its check caught it. */
function sensitivityMarkdown(r: Report): string[] {
  return [
    '',
    '## Sensitivity',
    '',
    table(
      ['claim', 'sentinel', 'what is broken', 'check', 'caught'],
      r.sensitivity.map((s) => [
        s.claim,
        s.sentinel,
        s.description,
        s.check,
        s.caught ? 'yes' : `**NO** (${s.verdict})`,
      ]),
    ),
    '',
  ];
}

/** The stability section, from the baseline the report carries. */
function stabilityMarkdown(r: Report): string[] {
  if (!r.stability) return ['## Stability', '', 'No stability baseline was measured for this budget.', ''];
  return [
    stabilitySectionMarkdown(r.stability.summary),
    '',
    `Measured ${r.stability.measuredAt.slice(0, 10)}${r.stability.commit ? ` at commit ${r.stability.commit.slice(0, 12)}` : ''}; margin plots in report.html.`,
    '',
  ];
}
