/**
 * report.html: one self-contained page (inline CSS and SVG, no script, no URL of any kind) that
 * can be opened offline, archived with the run, and printed. Every string taken from the report
 * passes through `escapeHtml`, and every number through core/format's `formatNumber`, so neither markup in a
 * check's summary nor a stray NaN can reach the reader.
 */
import { formatDuration, formatNumber } from '../core/format.js';
import { escapeHtml } from './html-escape.js';
import { reusedText } from './reused-text.js';
import { labelOf } from './run-summary.js';
import { figureToSvg } from './plots.js';
import { auditVerdictText, discrepancySectionHtml, discrepancySummary } from './discrepancy-render.js';
import { reachHtml } from './reach-render.js';
import { stabilityPhrase, stabilitySectionHtml } from './stability-render.js';

export { escapeHtml } from './html-escape.js';
import type { CheckReport, ClaimReport, FigureReport, Provenance, Report, SensitivityReport } from './schema.js';

/** Renders a validated report as one HTML5 document; the same report always gives the same bytes. */
export async function renderHtml(report: Report): Promise<string> {
  const anchors = claimAnchors(report.claims);
  const sections: string[] = [];
  const discrepancyFigures: string[] = [];
  let figureIndex = 0;
  for (const claim of report.claims) {
    const figures: string[] = [];
    // Sequential on purpose: ids inside each SVG are numbered per figure, in document order.
    for (const figure of claim.figures.filter((f) => !f.discrepancy))
      figures.push(await figureHtml(figure, `fig${++figureIndex}`));
    sections.push(claimSection(report, claim, anchors.get(claim) ?? '', figures));
  }
  for (const claim of report.claims)
    for (const figure of claim.figures.filter((f) => f.discrepancy))
      discrepancyFigures.push(await figureHtml(figure, `fig${++figureIndex}`));
  const e = escapeHtml;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>rankcheck report — ${e(report.tool.name)} ${e(report.tool.version)}, budget ${e(report.provenance.budget)}</title>
<style>
${STYLE}
</style>
</head>
<body>
<main>
<h1>rankcheck audit of “On the Benefits of Rank in Attention Layers” (arXiv 2407.16153)</h1>
${report.partial ? partialBanner(report) : ''}
${HOW_TO_READ}
<h2 id="summary">Summary</h2>
${summaryTable(report, anchors)}
${sentinelLine(report.sensitivity)}
${discrepancyLine(report)}
<h2 id="provenance">Provenance</h2>
${provenanceTable(report)}
<h2 id="claims">Claims</h2>
${sections.join('\n')}
<h2 id="sensitivity">Sensitivity: sentinels</h2>
${sensitivityTable(report.sensitivity, anchors, report.claims)}
<h2 id="discrepancies">Discrepancies in the paper’s computations</h2>
${discrepancySectionHtml(report, discrepancyFigures)}
<h2 id="stability">Stability over root seeds</h2>
${report.stability ? `<p>The verdicts' dependence on the seed, as last measured by <code>rankcheck stability</code> at this budget${stabilityOrigin(report)}.</p>\n${await stabilitySectionHtml(report.stability.summary, 'stab')}` : '<p class="muted">No stability baseline was measured for this budget (<code>rankcheck stability --budget …</code>, committed as reports/baseline/stability-BUDGET.json).</p>'}
<footer>Written by ${e(report.tool.name)} ${e(report.tool.version)}, report schema version ${formatNumber(report.schemaVersion)}.</footer>
</main>
</body>
</html>
`;
}

const HOW_TO_READ = `<p class="intro">How to read this report: each claim of the paper is checked by exact computation, by
Monte Carlo with confidence intervals, or by randomized property checks, at the budget shown under
Provenance. A claim <span class="badge v-holds">holds</span> when every check passed,
is <span class="badge v-violated">violated</span> when a check found a counterexample, is
<span class="badge v-inconclusive">inconclusive</span> when the evidence was not decisive (or not every
check ran), and is <span class="badge v-not-run">not-run</span> when it was not checked (the reason is
given). A <em>sentinel</em> is a deliberately broken variant of the mathematics that a check must
reject; the sensitivity table at the end lists them. A sentinel that was <em>not caught</em> is a
failure of this suite, not of the paper: the check that missed it is blind and its “holds” means
little. <em>Discrepancies</em>, in their own section, are findings about the paper’s own
computations (its released code against the quantity it stands for): they are not verdicts and
never change one.</p>`;

function partialBanner(report: Report): string {
  const shard = report.provenance.shard;
  return `<div class="banner" role="alert"><strong>PARTIAL REPORT</strong> — this run is incomplete${
    shard ? ` (shard ${formatNumber(shard.index)} of ${formatNumber(shard.count)})` : ''
  }: ${unitsFinished(report.completedUnits.length)}. Verdicts below cover only what ran; resume the run${
    shard ? ' or merge the shards' : ''
  } for a complete report.</div>`;
}

function unitsFinished(count: number): string {
  return `${formatNumber(count)} unit${count === 1 ? '' : 's'} finished`;
}

/** "holds — stable over 20 seeds": a claim's verdict with its measured stability. */
function stabilityNote(c: ClaimReport): string {
  const st = c.stability!;
  return stabilityPhrase(st, st.seeds);
}

/** " (measured 2026-12-01 at commit abc1234)" for the report's stability baseline. */
function stabilityOrigin(report: Report): string {
  const b = report.stability;
  if (!b) return '';
  return ` (measured ${escapeHtml(b.measuredAt.slice(0, 10))}${b.commit ? ` at commit <code>${escapeHtml(b.commit.slice(0, 12))}</code>` : ''})`;
}

/** A verdict's badge, coloured by the verdict, worded by `label` ("holds in part (…)"), dashed when in part. */
function badge(verdict: string, label = verdict): string {
  const known = ['holds', 'violated', 'inconclusive', 'not-run'].includes(verdict);
  const inPart = label.includes(' in part ') ? ' in-part' : '';
  return `<span class="badge v-${known ? verdict : 'not-run'}${inPart}">${escapeHtml(label)}</span>`;
}

/** The parts of a claim's statement: tested or not at this budget, with the reason, their verdicts and checks. */
function partsTable(claim: ClaimReport): string {
  if (claim.parts.length === 0) return '';
  const e = escapeHtml;
  const rows = claim.parts.map(
    (p) => `<tr${p.tested ? '' : ' class="untested-row"'}>
<td><code>${e(p.id)}</code></td>
<td>${e(p.statement)}</td>
<td>${p.tested ? badge(p.verdict) : `<span class="badge v-not-run">untested</span> ${e(p.reason ?? '')}`}</td>
<td>${p.checks.length ? p.checks.map((c) => `<code>${e(c)}</code>`).join(', ') : '—'}</td>
</tr>`,
  );
  return `<table class="parts">
<thead><tr><th>part</th><th>the paper says</th><th>at this budget</th><th>checks</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
}

/** Anchor ids of the claim sections: HTML ids may not contain spaces, and must stay unique. */
function claimAnchors(claims: ClaimReport[]): Map<ClaimReport, string> {
  const used = new Set<string>();
  const out = new Map<ClaimReport, string>();
  for (const c of claims) {
    const base = `claim-${c.id.replace(/[^A-Za-z0-9_-]/g, '-')}`;
    let id = base;
    for (let k = 2; used.has(id); k++) id = `${base}-${k}`;
    used.add(id);
    out.set(c, id);
  }
  return out;
}

function summaryTable(report: Report, anchors: Map<ClaimReport, string>): string {
  const e = escapeHtml;
  const rows = report.claims.map(
    (c) => `<tr>
<td><a href="#${e(anchors.get(c) ?? '')}"><code>${e(c.id)}</code></a> ${e(c.title)}</td>
<td>${badge(c.verdict, labelOf(c))}${c.stability ? `<br><span class="stability">${e(stabilityNote(c))}</span>` : ''}</td>
<td>${c.keyResult ? `<span class="label">${e(c.keyResult.label)}:</span> ${e(c.keyResult.text)}` : '—'}</td>
<td>${c.confidence !== null ? e(c.confidence) : c.notRunReason !== null ? `<span class="muted">${e(c.notRunReason)}</span>` : '—'}</td>
</tr>`,
  );
  if (rows.length === 0) return '<p>This report has no claims.</p>';
  return `<table class="summary">
<thead><tr><th>claim</th><th>verdict</th><th>key number</th><th>confidence</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
}

function discrepancyLine(report: Report): string {
  const summary = discrepancySummary(report);
  if (summary === null) return '';
  return `<p>${escapeHtml(summary)}, <a href="#discrepancies">listed below</a>; findings about its computations, not verdicts on its claims.</p>`;
}

function sentinelLine(sensitivity: SensitivityReport[]): string {
  const missed = sensitivity.filter((s) => !s.caught);
  const caught = sensitivity.length - missed.length;
  const text = `Sentinels: ${formatNumber(caught)} of ${formatNumber(sensitivity.length)} caught`;
  if (missed.length === 0) return `<p class="sentinels">${text}.</p>`;
  const list = missed.map((s) => `<code>${escapeHtml(`${s.claim}/${s.sentinel}`)}</code>`).join(', ');
  return `<p class="sentinels missed">${text} — <strong>missed: ${list}</strong> (a failure of the suite; see <a href="#sensitivity">Sensitivity</a>).</p>`;
}

function provenanceTable(report: Report): string {
  const p: Provenance = report.provenance;
  const e = escapeHtml;
  const dirty =
    p.dirty === null
      ? 'unknown whether the tree had uncommitted changes'
      : p.dirty
        ? 'with uncommitted changes'
        : 'clean';
  const packages = Object.entries(p.packages)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, version]) => `${e(name)} ${e(version)}`)
    .join(', ');
  const rows: [string, string][] = [
    ['tool', `${e(report.tool.name)} ${e(report.tool.version)}`],
    ['git commit', `${p.gitCommit !== null ? `<code>${e(p.gitCommit)}</code>` : 'unknown'} (${e(dirty)})`],
    ['node', e(p.node)],
    ['platform', e(p.platform)],
    ['cpus', formatNumber(p.cpus)],
    ['backend', e(p.backend)],
    ['packages', packages || '—'],
    ['budget', e(p.budget)],
    ['seed', formatNumber(p.seed)],
    ['started', e(p.startedAt)],
    ['duration', e(formatDuration(p.durationMs))],
    ['shard', p.shard ? `${formatNumber(p.shard.index)} of ${formatNumber(p.shard.count)}` : 'none (the whole run)'],
    ['complete', report.partial ? `<strong>no</strong> — ${unitsFinished(report.completedUnits.length)}` : 'yes'],
  ];
  return `<table class="provenance">
<tbody>
${rows.map(([k, v]) => `<tr><th scope="row">${k}</th><td>${v}</td></tr>`).join('\n')}
</tbody>
</table>`;
}

function claimSection(report: Report, claim: ClaimReport, anchor: string, figures: string[]): string {
  const e = escapeHtml;
  const parts: string[] = [];
  parts.push(`<section class="claim" id="${e(anchor)}">`);
  parts.push(`<h3><code>${e(claim.id)}</code> ${e(claim.title)} ${badge(claim.verdict, labelOf(claim))}</h3>`);
  parts.push(`<p class="ref">${e(claim.paperRef)}</p>`);
  if (claim.sources) parts.push(sourcesHtml(claim.sources));
  parts.push(`<blockquote class="statement">${e(claim.statement)}</blockquote>`);
  parts.push(partsTable(claim));
  parts.push(reachHtml(claim));
  if (claim.reconstructed) {
    parts.push(
      '<p class="note"><strong>Reconstructed:</strong> the exact form of this claim was reconstructed by us; the statement says how.</p>',
    );
  }
  if (claim.notRunReason !== null)
    parts.push(`<p class="not-run-reason"><strong>Not run:</strong> ${e(claim.notRunReason)}</p>`);
  if (claim.keyResult) parts.push(`<p><strong>${e(claim.keyResult.label)}:</strong> ${e(claim.keyResult.text)}</p>`);
  if (claim.confidence !== null) parts.push(`<p><strong>Confidence:</strong> ${e(claim.confidence)}</p>`);
  if (claim.stability)
    parts.push(`<p><strong>Stability:</strong> ${e(stabilityNote(claim))}${stabilityOrigin(report)}</p>`);
  parts.push(
    claim.checks.length > 0 ? checksTable(claim.checks) : '<p class="muted">No checks ran for this claim.</p>',
  );
  parts.push(...figures);
  parts.push('</section>');
  return parts.join('\n');
}

/**
 * Links from a verdict to its mathematics: the proof note, the code and the checks, relative to
 * the package root. A report written to reports/DIR/ finds them two levels up.
 */
function sourcesHtml(sources: NonNullable<ClaimReport['sources']>): string {
  const link = (path: string) => `<a href="../../${escapeHtml(path)}"><code>${escapeHtml(path)}</code></a>`;
  return `<p class="sources">Derivation ${link(sources.proofNote)}; code ${sources.code.map(link).join(', ')}; checks ${link(sources.checks)}.</p>`;
}

function checksTable(checks: CheckReport[]): string {
  const e = escapeHtml;
  const verdictHtml = (c: CheckReport) => {
    const audit = auditVerdictText(c);
    return audit === null ? badge(c.verdict) : `<span class="badge neutral">${e(audit)}</span>`;
  };
  const rows = checks.map(
    (c) => `<tr>
<td><code>${e(c.name)}</code></td>
<td>${e(c.kind)}</td>
<td>${verdictHtml(c)}</td>
<td class="summary">${e(c.summary)}${c.reused?.length ? `<br><span class="muted">${e(reusedText(c.reused))}</span>` : ''}</td>
<td class="metrics">${metricsHtml(c.metrics)}</td>
<td class="num">${intervalHtml(c)}</td>
<td class="num">${replayHtml(c.replay)}</td>
</tr>`,
  );
  // Fixed column shares: with automatic layout the metrics' unbreakable lines took the width and
  // the summary, the one column a reader reads first, wrapped one word per line.
  return `<table class="checks">
<colgroup><col class="c-check"><col class="c-kind"><col class="c-verdict"><col class="c-summary"><col class="c-metrics"><col class="c-interval"><col class="c-replay"></colgroup>
<thead><tr><th>check</th><th>kind</th><th>verdict</th><th>summary</th><th>metrics</th><th>interval</th><th>replay</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
}

function metricsHtml(metrics: Record<string, number | null>): string {
  const entries = Object.entries(metrics);
  if (entries.length === 0) return '—';
  return entries
    .map(
      ([k, v]) =>
        `<span class="metric"><span class="name">${escapeHtml(k)}</span>&nbsp;=&nbsp;<span class="value">${formatNumber(v)}</span></span>`,
    )
    .join(' ');
}

function intervalHtml(c: CheckReport): string {
  const ci = c.ci ? `[${formatNumber(c.ci[0])}, ${formatNumber(c.ci[1])}]` : null;
  const level = c.level !== null ? `level ${formatNumber(c.level)}` : null;
  if (ci && level) return `${ci}<br>${level}`;
  return ci ?? level ?? '—';
}

function replayHtml(replay: { seed: number; path: string | null }): string {
  return `seed ${formatNumber(replay.seed)}${replay.path !== null ? `<br>path <code>${escapeHtml(replay.path)}</code>` : ''}`;
}

async function figureHtml(figure: FigureReport, idPrefix: string): Promise<string> {
  const e = escapeHtml;
  let body: string;
  try {
    body = await figureToSvg(figure, { idPrefix });
  } catch (err) {
    // A figure Vega cannot draw must not cost the reader the rest of the report; the failure is
    // shown in its place (report.json still holds the data).
    body = `<p class="figure-error">This figure could not be drawn: ${e(err instanceof Error ? err.message : String(err))}</p>`;
  }
  return `<figure class="plot" id="${e(`figure-${idPrefix}`)}">
<h4>${e(figure.title)}</h4>
<div class="svg">${body}</div>
<figcaption>${e(figure.caption)}</figcaption>
</figure>`;
}

function sensitivityTable(
  sensitivity: SensitivityReport[],
  anchors: Map<ClaimReport, string>,
  claims: ClaimReport[],
): string {
  if (sensitivity.length === 0) return '<p class="muted">This report has no sentinels.</p>';
  const e = escapeHtml;
  const anchorOf = (id: string) => {
    const claim = claims.find((c) => c.id === id);
    return claim ? anchors.get(claim) : undefined;
  };
  const rows = sensitivity.map((s) => {
    const anchor = anchorOf(s.claim);
    const claim = anchor ? `<a href="#${e(anchor)}"><code>${e(s.claim)}</code></a>` : `<code>${e(s.claim)}</code>`;
    // The check's verdict is shown uncoloured: on a sentinel "violated" is the good outcome, and
    // the caught column already carries the colour.
    const caught = s.caught ? '<span class="caught yes">yes</span>' : '<span class="caught no">NO — missed</span>';
    return `<tr class="${s.caught ? 'caught-row' : 'missed-row'}">
<td>${claim}</td>
<td><code>${e(s.sentinel)}</code></td>
<td>${e(s.description)}</td>
<td><code>${e(s.check)}</code></td>
<td>${caught}</td>
<td><span class="badge neutral">${e(s.verdict)}</span></td>
</tr>`;
  });
  return `<p>A sentinel is caught when its check returns <em>violated</em> on it.</p>
<table class="sensitivity">
<thead><tr><th>claim</th><th>sentinel</th><th>description</th><th>check</th><th>caught</th><th>check verdict</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
}

const STYLE = `:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: #1f2328;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 16px; }
h2 { font-size: 1.3rem; margin: 36px 0 12px; padding-bottom: 4px; border-bottom: 1px solid #d0d7de; }
h3 { font-size: 1.12rem; margin: 0 0 4px; }
h4 { font-size: 1rem; margin: 0 0 6px; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.92em; }
a { color: #0550ae; }
.intro { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; padding: 12px 16px; }
.banner { background: #fff8c5; border: 2px solid #bf8700; border-radius: 6px; padding: 12px 16px; margin: 0 0 16px; font-size: 1.05rem; }
.banner strong { color: #7d4e00; letter-spacing: 0.04em; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 0.92rem; }
th, td { border: 1px solid #d0d7de; padding: 6px 8px; text-align: left; vertical-align: top; }
thead th { background: #f6f8fa; }
table.provenance { width: auto; }
table.provenance th { background: #f6f8fa; font-weight: 600; white-space: nowrap; }
td.num { white-space: nowrap; font-variant-numeric: tabular-nums; }
table.checks { table-layout: fixed; }
table.checks col.c-check { width: 12%; }
table.checks col.c-kind { width: 10%; }
table.checks col.c-verdict { width: 9%; }
table.checks col.c-summary { width: 30%; }
table.checks col.c-metrics { width: 22%; }
table.checks col.c-interval { width: 8%; }
table.checks col.c-replay { width: 9%; }
table.checks th { font-size: 0.85rem; }
table.checks td { overflow-wrap: break-word; }
table.checks td.num { white-space: normal; font-size: 0.8rem; }
table.checks .metric { display: block; white-space: normal; font-size: 0.8rem; }
table.checks .metric .name { overflow-wrap: anywhere; }
table.checks .metric .value { white-space: nowrap; }
.metric { display: inline-block; margin-right: 8px; font-variant-numeric: tabular-nums; white-space: nowrap; }
.label { color: #59636e; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 0.85rem; font-weight: 600; white-space: nowrap;
  border: 1px solid transparent; vertical-align: 1px; }
.v-holds { background: #dafbe1; color: #116329; border-color: #4ac26b; }
.v-violated { background: #ffebe9; color: #a40e26; border-color: #ff8182; }
.v-inconclusive { background: #fff8c5; color: #7d4e00; border-color: #d4a72c; }
.v-not-run { background: #eaeef2; color: #424a53; border-color: #afb8c1; }
.badge.neutral { background: #fff; color: #32383f; border-color: #afb8c1; font-weight: 500; }
.caught { font-weight: 600; }
.caught.yes { color: #116329; }
.caught.no { color: #a40e26; }
tr.missed-row td { background: #ffebe9; }
tr.untested-row td { background: #f6f8fa; color: #424a53; }
p.reach-caption { margin: 0.8rem 0 0.2rem; font-style: italic; }
table.reach, table.reach-numbers { width: auto; font-size: 0.9rem; }
table.reach-numbers td:nth-child(2), table.reach-numbers td:nth-child(3), table.reach-numbers td:nth-child(4) { white-space: nowrap; text-align: right; }
.badge.in-part { border-style: dashed; border-color: #1a7f37; }
.sentinels.missed { color: #a40e26; }
.claim { margin: 0 0 28px; padding: 16px 18px; border: 1px solid #d0d7de; border-radius: 6px; }
.ref { margin: 0 0 8px; color: #59636e; }
.sources { margin: 0 0 8px; font-size: 0.9rem; color: #424a53; }
.stability { font-size: 0.85rem; color: #424a53; }
.statement { margin: 8px 0 12px; padding: 4px 14px; border-left: 4px solid #d0d7de; color: #32383f; }
.note { background: #ddf4ff; border: 1px solid #54aeff; border-radius: 6px; padding: 6px 10px; }
.not-run-reason { background: #eaeef2; border-radius: 6px; padding: 6px 10px; }
.muted { color: #59636e; }
figure.plot { margin: 16px 0 0; }
figure.plot .svg svg { display: block; max-width: 100%; height: auto; }
figcaption { color: #424a53; font-size: 0.9rem; margin-top: 4px; }
.figure-error { color: #a40e26; border: 1px solid #ff8182; padding: 6px 10px; }
footer { margin-top: 36px; color: #59636e; font-size: 0.85rem; }
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  .badge, .banner, .intro, .note, tr.missed-row td, thead th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .claim { border: none; padding: 0; }
  figure.plot, tr { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
}`;
