/**
 * stability.md and stability.html, and the stability section that verify reports carry: per claim
 * its label, how many seeds gave each verdict, the seeds that flaked or were blind, each check's
 * pass rate and worst-seed margin, each sentinel's catch count; in HTML also a plot of each
 * sampled or trained check's margin at every seed.
 */
import type { CheckStability, ClaimStability, StabilitySummary } from '../audit/stability.js';
import { formatDuration, formatNumber } from '../core/format.js';
import { escapeHtml } from './html-escape.js';
import { markdownTable } from './markdown-table.js';
import { figureToSvg } from './plots.js';
import type { FigureReport } from './schema.js';
import type { StabilityFile } from './stability-schema.js';

/** "stable over 20 seeds", "flaky at 2 of 20 (seeds 3, 7)", "blind at 1 of 20 (seed 4)", "not run"; then the units the measurement predates. */
export function stabilityPhrase(
  c: Pick<ClaimStability, 'label' | 'flakySeeds' | 'blindSeeds'> & { unmeasured?: readonly string[] },
  seeds: number,
): string {
  const phrase = labelPhrase(c, seeds);
  const missing = c.unmeasured ?? [];
  return missing.length === 0 ? phrase : `${phrase}; not in that measurement (newer): ${missing.join(', ')}`;
}

function labelPhrase(c: Pick<ClaimStability, 'label' | 'flakySeeds' | 'blindSeeds'>, seeds: number): string {
  const list = (xs: number[]) => `${xs.length === 1 ? 'seed' : 'seeds'} ${xs.join(', ')}`;
  switch (c.label) {
    case 'stable':
      return `stable over ${seeds} seed${seeds === 1 ? '' : 's'}`;
    case 'flaky':
      return `flaky at ${c.flakySeeds.length} of ${seeds} (${list(c.flakySeeds)})`;
    case 'blind':
      return `blind at ${c.blindSeeds.length} of ${seeds} (${list(c.blindSeeds)})`;
    case 'not-run':
      return 'not run at this budget';
  }
}

const verdictCounts = (c: ClaimStability) =>
  (['holds', 'violated', 'inconclusive', 'not-run'] as const)
    .filter((v) => c.verdicts[v] > 0)
    .map((v) => `${v} ${c.verdicts[v]}`)
    .join(', ');

const marginText = (k: CheckStability) =>
  k.worstMargin === null ? '—' : `${formatNumber(k.worstMargin, 4)}${k.marginUnit ? ` (${k.marginUnit})` : ''}`;

/** The stability section in Markdown (for stability.md and for verify's report.md). */
export function stabilitySectionMarkdown(s: StabilitySummary, heading = '##'): string {
  const out: string[] = [];
  out.push(`${heading} Stability over root seeds ${seedRange(s.seeds)} (budget ${s.budget})`, '');
  if (!s.complete) out.push('> **Incomplete**: not every unit of every seed finished.', '');
  out.push(
    markdownTable(
      ['claim', 'label', 'verdicts over the seeds', 'sentinels caught'],
      s.claims.map((c) => [
        c.id,
        stabilityPhrase(c, s.seeds.length),
        verdictCounts(c) || '—',
        c.sentinels.map((x) => `${x.name}@${x.check} ${x.caught}/${x.of}`).join(', ') || '—',
      ]),
    ),
  );
  out.push('', 'Checks (a seed-free check runs once and counts for every seed):', '');
  out.push(
    markdownTable(
      ['claim', 'check', 'pass rate', 'worst-seed margin', 'seed-free'],
      s.claims.flatMap((c) =>
        c.checks.map((k) => [
          c.id,
          k.name,
          `${formatNumber(k.passRate * 100, 3)}%`,
          marginText(k),
          k.seedFree ? 'yes' : 'no',
        ]),
      ),
    ),
  );
  return out.join('\n');
}

/** stability.md. */
export function renderStabilityMarkdown(f: StabilityFile): string {
  const p = f.provenance;
  return [
    `# rankcheck stability audit — budget ${p.budget}`,
    '',
    `${f.summary.seeds.length} root seeds, rankcheck ${f.tool.version}, commit ${p.gitCommit ?? 'unknown'}${p.dirty ? ' (uncommitted changes)' : ''}, Node ${p.node} on ${p.platform} (${p.cpus} cpus), backend ${p.backend}, started ${p.startedAt}, ${formatDuration(p.durationMs)}${p.shard ? `, shard ${p.shard.index}/${p.shard.count}` : ''}.`,
    '',
    'Labels: *stable* — the same verdict at every seed and every sentinel caught at every seed; *flaky* — the verdict differs between seeds (the seeds named differ from the most common verdict); *blind* — some sentinel was missed at some seed; *not-run* — no check runs at this budget.',
    '',
    stabilitySectionMarkdown(f.summary),
    '',
  ].join('\n');
}

function seedRange(seeds: readonly number[]): string {
  if (seeds.length === 0) return '(none)';
  const contiguous = seeds.every((s, k) => s === seeds[0] + k);
  return contiguous && seeds.length > 2 ? `${seeds[0]}–${seeds[seeds.length - 1]}` : seeds.join(', ');
}

/** The figure of one check's margins over the seeds (null when it has none to plot). */
export function marginFigure(claim: string, k: CheckStability, seeds: readonly number[]): FigureReport | null {
  if (k.seedFree) return null;
  const points = seeds.flatMap((seed, i) => (k.margins[i] === null ? [] : [{ x: seed, y: k.margins[i]! }]));
  if (points.length === 0) return null;
  return {
    id: `stability-${claim}-${k.name}`,
    title: `${claim} / ${k.name}: margin at each root seed`,
    caption: `How far the check's statistic was from flipping its verdict at each seed${k.marginUnit ? ` (${k.marginUnit})` : ''}; the dashed line is 0, where the verdict would change.`,
    xLabel: 'root seed',
    yLabel: 'margin',
    xScale: 'linear',
    yScale: 'linear',
    series: [
      { name: 'margin', style: 'points', points },
      { name: 'verdict flips', style: 'rule', points: [{ x: seeds[0] ?? 0, y: 0 }] },
    ],
    durationMs: 0,
  };
}

/** The stability section in HTML, with the margin plots (figure ids prefixed by `idPrefix`). */
export async function stabilitySectionHtml(s: StabilitySummary, idPrefix: string): Promise<string> {
  const e = escapeHtml;
  const label = (c: ClaimStability) =>
    `<span class="badge ${c.label === 'stable' ? 'v-holds' : c.label === 'not-run' ? 'v-not-run' : 'v-violated'}">${e(c.label)}</span>`;
  const claimRows = s.claims.map(
    (c) =>
      `<tr><td><code>${e(c.id)}</code></td><td>${label(c)} ${e(stabilityPhrase(c, s.seeds.length))}</td><td>${e(verdictCounts(c) || '—')}</td><td>${
        c.sentinels
          .map((x) => `<code>${e(`${x.name}@${x.check}`)}</code> ${formatNumber(x.caught)}/${formatNumber(x.of)}`)
          .join('<br>') || '—'
      }</td></tr>`,
  );
  const checkRows = s.claims.flatMap((c) =>
    c.checks.map(
      (k) =>
        `<tr><td><code>${e(c.id)}</code></td><td><code>${e(k.name)}</code></td><td class="num">${formatNumber(k.passRate * 100, 3)}%</td><td>${e(marginText(k))}</td><td>${k.seedFree ? 'yes' : 'no'}</td></tr>`,
    ),
  );
  const figures: string[] = [];
  let n = 0;
  for (const c of s.claims) {
    for (const k of c.checks) {
      const f = marginFigure(c.id, k, s.seeds);
      if (!f) continue;
      const svg = await figureToSvg(f, { idPrefix: `${idPrefix}${++n}` });
      figures.push(
        `<figure class="plot"><h4>${e(f.title)}</h4><div class="svg">${svg}</div><figcaption>${e(f.caption)}</figcaption></figure>`,
      );
    }
  }
  return `<p>Root seeds ${e(seedRange(s.seeds))}, budget ${e(s.budget)}${s.complete ? '' : ' — <strong>incomplete</strong>: not every unit of every seed finished'}. A seed-free check runs once and counts for every seed.</p>
<table class="stability">
<thead><tr><th>claim</th><th>label</th><th>verdicts over the seeds</th><th>sentinels caught</th></tr></thead>
<tbody>
${claimRows.join('\n')}
</tbody>
</table>
<table class="stability-checks">
<thead><tr><th>claim</th><th>check</th><th>pass rate</th><th>worst-seed margin</th><th>seed-free</th></tr></thead>
<tbody>
${checkRows.join('\n')}
</tbody>
</table>
${figures.join('\n')}`;
}

/** stability.html: one self-contained page. */
export async function renderStabilityHtml(f: StabilityFile): Promise<string> {
  const e = escapeHtml;
  const p = f.provenance;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>rankcheck stability — budget ${e(p.budget)}</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; color: #1f2328; margin: 0; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 48px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 0.92rem; }
th, td { border: 1px solid #d0d7de; padding: 6px 8px; text-align: left; vertical-align: top; }
thead th { background: #f6f8fa; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 0.85rem; font-weight: 600; border: 1px solid transparent; }
.v-holds { background: #dafbe1; color: #116329; border-color: #4ac26b; }
.v-violated { background: #ffebe9; color: #a40e26; border-color: #ff8182; }
.v-not-run { background: #eaeef2; color: #424a53; border-color: #afb8c1; }
figure.plot .svg svg { display: block; max-width: 100%; height: auto; }
figcaption { color: #424a53; font-size: 0.9rem; }
</style>
</head>
<body>
<main>
<h1>rankcheck stability audit — budget ${e(p.budget)}</h1>
<p>${formatNumber(f.summary.seeds.length)} root seeds; rankcheck ${e(f.tool.version)}, commit <code>${e(p.gitCommit ?? 'unknown')}</code>${p.dirty ? ' (uncommitted changes)' : ''}; ${e(p.node)} on ${e(p.platform)}, ${formatNumber(p.cpus)} cpus; backend ${e(p.backend)}; started ${e(p.startedAt)}, ${e(formatDuration(p.durationMs))}${p.shard ? `; shard ${formatNumber(p.shard.index)} of ${formatNumber(p.shard.count)}` : ''}.</p>
<p>Labels: <em>stable</em> — the same verdict at every seed and every sentinel caught at every seed; <em>flaky</em> — the verdict differs between seeds; <em>blind</em> — some sentinel was missed at some seed; <em>not-run</em> — no check runs at this budget.</p>
${await stabilitySectionHtml(f.summary, 'st')}
</main>
</body>
</html>
`;
}
