/**
 * The discrepancies section of report.md and report.html: findings about the paper's own
 * computations (its released code against the exact quantity), kept apart from the verdicts. A
 * discrepancy never makes a claim violated and never changes an exit code; "confirmed" means the
 * recomputed value is itself confirmed by an independent simulation and the published number lies
 * outside it.
 */
import { formatNumber } from '../core/format.js';
import { escapeHtml } from './html-escape.js';
import { markdownTable } from './markdown-table.js';
import type { CheckReport, DiscrepancyReport, Report } from './schema.js';

const INTRO =
  'Findings about the paper’s own computations, not about its theorems: each row is a number as the paper’s recipe computes it (its released code, reproduced) against the quantity it stands for, recomputed exactly. They never change a claim’s verdict or the exit code. “Confirmed” means the recomputed value lies inside an independent simulation’s interval and the published number outside the interval of the true error of its own weights; each audit has sentinels (a recipe with its departures removed must show nothing, a corrupted exact path must be refuted) listed under Sensitivity.';

const COLUMNS = [
  'claim',
  'quantity',
  'published recipe',
  'recomputed',
  'difference',
  'interval (level)',
  'confirmed',
  'cause',
] as const;

const percentText = (x: number | null) => (x === null ? '—' : `${x >= 0 ? '+' : ''}${formatNumber(100 * x, 3)}%`);
const intervalText = (x: DiscrepancyReport) =>
  x.interval
    ? `[${formatNumber(x.interval[0], 4)}, ${formatNumber(x.interval[1], 4)}] (${formatNumber(x.level)})`
    : '—';

const confirmedText = (x: DiscrepancyReport) =>
  x.confirmed === null ? 'not simulated (exact against exact)' : x.confirmed ? 'yes' : 'no';

/** How a discrepancy check's verdict reads: it confirms a finding or does not, it never "holds" a claim. */
export function auditVerdictText(c: Pick<CheckReport, 'kind' | 'verdict'>): string | null {
  if (c.kind !== 'discrepancy') return null;
  return c.verdict === 'holds' ? 'confirmed' : c.verdict === 'violated' ? 'not confirmed' : 'undecided';
}

/** "Discrepancies in the paper's computations: N (M confirmed by simulation)", or null when there are none. */
export function discrepancySummary(r: Report): string | null {
  const n = r.discrepancies.length;
  if (n === 0) return null;
  const confirmed = r.discrepancies.filter((x) => x.confirmed === true).length;
  return `Discrepancies in the paper’s computations: ${formatNumber(n)} (${formatNumber(confirmed)} confirmed by simulation)`;
}

/** The section in Markdown (its figures are named, and plotted in report.html). */
export function discrepancySectionMarkdown(r: Report): string {
  const out = ['## Discrepancies in the paper’s computations', '', INTRO, ''];
  if (r.discrepancies.length === 0) {
    out.push('No discrepancy audit ran in this report.', '');
    return out.join('\n');
  }
  out.push(
    markdownTable(
      COLUMNS,
      r.discrepancies.map((x) => [
        x.claim,
        x.quantity,
        formatNumber(x.published, 4),
        formatNumber(x.recomputed, 4),
        percentText(x.relativeDifference),
        intervalText(x),
        confirmedText(x),
        x.cause,
      ]),
    ),
    '',
    `Source: ${[...new Set(r.discrepancies.map((x) => x.source))].join('; ')}.`,
  );
  for (const c of r.claims)
    for (const f of c.figures.filter((x) => x.discrepancy))
      out.push('', `*Figure — ${f.title}.* ${f.caption} (plotted in report.html)`);
  out.push('');
  return out.join('\n');
}

/** The section in HTML; `figures` are the section's figures, already drawn. */
export function discrepancySectionHtml(r: Report, figures: readonly string[]): string {
  const e = escapeHtml;
  if (r.discrepancies.length === 0) return `<p class="muted">No discrepancy audit ran in this report.</p>`;
  const rows = r.discrepancies.map(
    (x) => `<tr>
<td><code>${e(x.claim)}</code></td>
<td>${e(x.quantity)}</td>
<td class="num">${formatNumber(x.published, 4)}</td>
<td class="num">${formatNumber(x.recomputed, 4)}</td>
<td class="num">${e(percentText(x.relativeDifference))}</td>
<td class="num">${e(intervalText(x))}</td>
<td>${e(confirmedText(x))}</td>
<td>${e(x.cause)}</td>
</tr>`,
  );
  return `<p>${e(INTRO)}</p>
<table class="discrepancies">
<thead><tr>${COLUMNS.map((c) => `<th>${e(c)}</th>`).join('')}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
<p class="muted">Source: ${e([...new Set(r.discrepancies.map((x) => x.source))].join('; '))}.</p>
${figures.join('\n')}`;
}
