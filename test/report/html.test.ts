import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml, renderHtml } from '../../src/report/html.js';
import { PLOT_WIDTH, figureToSvg } from '../../src/report/plots.js';
import { validateReport, type FigureReport, type Report } from '../../src/report/schema.js';

const SAMPLE = new URL('../fixtures/reports/sample-report.json', import.meta.url);

/** A fresh, validated copy of the sample report (tests may modify their copy). */
function sample(): Report {
  return validateReport(JSON.parse(readFileSync(SAMPLE, 'utf8')));
}

/** The only URLs allowed in the page: SVG namespace names, which identify and are never fetched. */
const NAMESPACE_ATTRIBUTES = ['xmlns="http://www.w3.org/2000/svg"', 'xmlns:xlink="http://www.w3.org/1999/xlink"'];

function figure(partial: Partial<FigureReport>): FigureReport {
  return {
    id: 'f',
    title: 't',
    caption: 'c',
    xLabel: 'x',
    yLabel: 'y',
    xScale: 'linear',
    yScale: 'linear',
    series: [],
    durationMs: 0,
    ...partial,
  };
}

/** The `<line>` elements Vega draws for rule marks, with their end offsets (x2, y2). */
function ruleLines(svg: string): { x2: number; y2: number }[] {
  return [...svg.matchAll(/<line [^>]*aria-roledescription="rule mark"[^>]*x2="([-\d.]+)" y2="([-\d.]+)"/g)].map(
    (m) => ({ x2: Number(m[1]), y2: Number(m[2]) }),
  );
}

describe('renderHtml on the sample report', () => {
  let html: string;
  beforeAll(async () => {
    html = await renderHtml(sample());
  });

  it('is one HTML5 document', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html.endsWith('</html>\n')).toBe(true);
  });

  it('has no script and no URL except the SVG namespace names', () => {
    expect(html).not.toMatch(/<script/i);
    let stripped = html;
    for (const attr of NAMESPACE_ATTRIBUTES) stripped = stripped.split(attr).join('');
    expect(stripped).not.toMatch(/https?:/i);
    // Nothing else could trigger a fetch either: no src, no external url(), no @import, only in-page links.
    expect(stripped).not.toMatch(/\ssrc=|@import|url\((?!#)/i);
    for (const m of stripped.matchAll(/href="([^"]*)"/g)) expect(m[1]).toMatch(/^#/);
  });

  it('draws every figure of the sample as one inline SVG', () => {
    const figures = sample().claims.flatMap((c) => c.figures).length;
    expect(figures).toBeGreaterThan(0);
    expect(html.match(/<svg/g)).toHaveLength(figures);
  });

  it('escapes the markup planted in the sample and never lets it through raw', () => {
    const planted: [raw: string, escaped: string][] = [
      ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
      ['<b>rank sweep</b>', '&lt;b&gt;rank sweep&lt;/b&gt;'],
      ['bound ×1.5 "quoted" & <tagged>', 'bound ×1.5 &quot;quoted&quot; &amp; &lt;tagged&gt;'],
      ['& <hardmax> is exact.', '&amp; &lt;hardmax&gt; is exact.'],
    ];
    for (const [raw, escaped] of planted) {
      expect(html).not.toContain(raw);
      expect(html).toContain(escaped);
    }
  });

  it('has no PARTIAL REPORT banner, the sample being complete', () => {
    expect(html).not.toContain('PARTIAL REPORT');
  });

  it('gives the reason a claim was not run', () => {
    expect(html).toContain('the transformer experiments are not built yet');
  });

  it('marks the uncaught sentinel, and only it, as missed', () => {
    const missedRows = html.match(/<tr class="missed-row">[\s\S]*?<\/tr>/g) ?? [];
    expect(missedRows).toHaveLength(1);
    expect(missedRows[0]).toContain('inflated-bound');
    expect(missedRows[0]).toContain('NO — missed');
    const caughtRows = html.match(/<tr class="caught-row">[\s\S]*?<\/tr>/g) ?? [];
    expect(caughtRows).toHaveLength(1);
    expect(caughtRows[0]).toContain('off-by-one-weight');
  });

  it('has one summary row per claim, in report order', () => {
    const summary = html.match(/<table class="summary">[\s\S]*?<\/table>/)?.[0] ?? '';
    const ids = [...summary.matchAll(/<tr>\s*<td><a href="#claim-([^"]+)">/g)].map((m) => m[1]);
    expect(ids).toEqual(sample().claims.map((c) => c.id));
  });

  it('renders the same report to the same bytes', async () => {
    expect(await renderHtml(sample())).toBe(html);
  });
});

describe('renderHtml on a partial report', () => {
  it('shows one PARTIAL REPORT banner, naming the shard', async () => {
    const r = sample();
    r.partial = true;
    r.provenance.shard = { index: 2, count: 3 };
    const html = await renderHtml(r);
    expect(html.match(/PARTIAL REPORT/g)).toHaveLength(1);
    expect(html).toMatch(/PARTIAL REPORT<\/strong>[^<]*shard 2 of 3/);
  });
});

describe('escapeHtml and number formatting', () => {
  it('escapes the five characters that matter in text and quoted attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
    expect(escapeHtml('β ≤ 1 — ok')).toBe('β ≤ 1 — ok');
  });
});

describe('figureToSvg', () => {
  it('drops non-positive values on log axes: the same SVG as with those points removed by hand', async () => {
    const withBad = figure({
      xScale: 'log',
      yScale: 'log',
      series: [
        {
          name: 'curve',
          style: 'line',
          points: [
            { x: 0, y: 1 },
            { x: 1, y: 0.5 },
            { x: 2, y: -1 },
            { x: 4, y: 0.25 },
            { x: -3, y: 2 },
          ],
        },
        // A non-positive lower bound has no place on a log axis: that point keeps its marker, loses its bar.
        {
          name: 'estimates',
          style: 'points',
          points: [
            { x: 1, y: 0.4, lo: -0.1, hi: 0.9 },
            { x: 2, y: 0.3, lo: 0.2, hi: 0.4 },
            { x: 3, y: 0 },
          ],
        },
        { name: 'floor', style: 'rule', points: [{ x: 1, y: 0 }] },
      ],
    });
    const cleaned = figure({
      xScale: 'log',
      yScale: 'log',
      series: [
        {
          name: 'curve',
          style: 'line',
          points: [
            { x: 1, y: 0.5 },
            { x: 4, y: 0.25 },
          ],
        },
        {
          name: 'estimates',
          style: 'points',
          points: [
            { x: 1, y: 0.4 },
            { x: 2, y: 0.3, lo: 0.2, hi: 0.4 },
          ],
        },
        { name: 'floor', style: 'rule', points: [] },
      ],
    });
    const svg = await figureToSvg(withBad);
    expect(svg).not.toMatch(/NaN|Infinity/);
    expect(svg).toBe(await figureToSvg(cleaned));
    expect(ruleLines(svg).filter((l) => l.x2 === 0)).toHaveLength(1); // the one surviving error bar
  });

  it('renders a series with no points, and says so in the legend', async () => {
    const svg = await figureToSvg(
      figure({
        series: [
          { name: 'empty', style: 'line', points: [] },
          { name: 'one', style: 'points', points: [{ x: 1, y: 2 }] },
        ],
      }),
    );
    expect(svg).toMatch(/^<svg /);
    expect(svg).toContain('empty (no plottable points)');
    expect(svg).not.toMatch(/NaN|Infinity/);
  });

  it('renders a figure with nothing to plot at all, on either kind of axis', async () => {
    for (const scale of ['linear', 'log'] as const) {
      const svg = await figureToSvg(
        figure({ xScale: scale, yScale: scale, series: [{ name: 'nothing', style: 'points', points: [] }] }),
      );
      expect(svg).toMatch(/^<svg [\s\S]*<\/svg>$/);
      expect(svg).not.toMatch(/NaN|Infinity/);
    }
  });

  it('draws a rule as a horizontal line across the whole plot, and error bars as vertical ones', async () => {
    const svg = await figureToSvg(
      figure({
        series: [
          { name: 'level', style: 'rule', points: [{ x: 5, y: 0.5 }] },
          {
            name: 'mc',
            style: 'points',
            points: [
              { x: 1, y: 0.3, lo: 0.2, hi: 0.4 },
              { x: 2, y: 0.35, lo: 0.3, hi: 0.4 },
            ],
          },
        ],
      }),
    );
    const lines = ruleLines(svg);
    expect(lines.filter((l) => l.y2 === 0 && Math.abs(l.x2) === PLOT_WIDTH)).toHaveLength(1);
    expect(lines.filter((l) => l.x2 === 0 && l.y2 !== 0)).toHaveLength(2);
  });

  it('escapes series names and axis labels, and references nothing outside itself', async () => {
    const svg = await figureToSvg(
      figure({
        xLabel: 'x <i>&',
        yLabel: 'y "q"',
        series: [
          {
            name: '<script>alert(1)</script>',
            style: 'line',
            points: [
              { x: 0, y: 0 },
              { x: 1, y: 1 },
            ],
          },
        ],
      }),
    );
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<i>');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    let stripped = svg;
    for (const attr of NAMESPACE_ATTRIBUTES) stripped = stripped.split(attr).join('');
    expect(stripped).not.toMatch(/https?:|url\((?!#)|href=/i);
  });

  it('gives the same bytes for the same figure, whatever was rendered before', async () => {
    const f = sample().claims[0].figures[0];
    const first = await figureToSvg(f);
    await figureToSvg(sample().claims[1].figures[0]);
    expect(await figureToSvg(f)).toBe(first);
  });
});
