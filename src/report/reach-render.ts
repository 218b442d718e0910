/**
 * A claim's reach in words: the paper's setting beside the budget's, and the paper's numbers
 * beside ours, as Markdown and HTML tables with the same cells.
 */
import { formatNumber } from '../core/format.js';
import { escapeHtml } from './html-escape.js';
import { markdownTable } from './markdown-table.js';
import type { ClaimReport } from './schema.js';

type ReachReport = NonNullable<ClaimReport['reach']>;

const SETTING_HEADER = ['', 'the paper', 'tested at this budget'];
const NUMBERS_HEADER = ['number', 'the paper', 'ours', 'ours / paper', 'setting', 'the paper’s source'];

function settingCells(reach: ReachReport): string[][] {
  return reach.rows.map((r) => [r.quantity, r.paper, r.tested ?? 'not run at this budget']);
}

function numberCells(reach: ReachReport): string[][] {
  return reach.numbers.map((n) => [
    n.label,
    formatNumber(n.paper, 4),
    n.ours === null ? 'not measured at this budget' : formatNumber(n.ours, 4),
    n.ours === null || n.paper === 0 ? '—' : formatNumber(n.ours / n.paper, 2),
    n.setting ?? '—',
    n.source,
  ]);
}

/** The reach as Markdown lines (empty when the claim declares none). */
export function reachMarkdown(c: ClaimReport): string[] {
  if (!c.reach) return [];
  const out = [
    '',
    '*The paper’s setting and the tested one:*',
    '',
    markdownTable(SETTING_HEADER, settingCells(c.reach)),
  ];
  if (c.reach.numbers.length)
    out.push('', '*The paper’s numbers beside ours:*', '', markdownTable(NUMBERS_HEADER, numberCells(c.reach)));
  return out;
}

function htmlTable(cls: string, header: readonly string[], rows: readonly (readonly string[])[]): string {
  const e = escapeHtml;
  return `<table class="${cls}">
<thead><tr>${header.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead>
<tbody>
${rows.map((r) => `<tr>${r.map((x) => `<td>${e(x)}</td>`).join('')}</tr>`).join('\n')}
</tbody>
</table>`;
}

/** The reach as HTML (empty when the claim declares none). */
export function reachHtml(c: ClaimReport): string {
  if (!c.reach) return '';
  const setting = `<p class="reach-caption">The paper’s setting and the tested one:</p>\n${htmlTable('reach', SETTING_HEADER, settingCells(c.reach))}`;
  if (!c.reach.numbers.length) return setting;
  return `${setting}\n<p class="reach-caption">The paper’s numbers beside ours:</p>\n${htmlTable('reach-numbers', NUMBERS_HEADER, numberCells(c.reach))}`;
}
