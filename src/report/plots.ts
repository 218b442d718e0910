/**
 * Figures of a report as inline SVG: a Vega-Lite spec is built from the figure's series, compiled
 * to Vega and rendered headless in Node. The SVG references nothing outside itself, so the HTML
 * report can embed it and be opened offline.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { FigureReport, SeriesReport } from './schema.js';

/** Plot area size in pixels; fixed so every figure of a report lines up on the page. */
export const PLOT_WIDTH = 560;
export const PLOT_HEIGHT = 340;

type Row = { series: string; index: number; x: number; y: number; lo?: number; hi?: number };

/** Options of `figureToSvg`. */
export interface FigureSvgOptions {
  /** Prefix of the element ids inside the SVG; must be unique per document. Default: from figure.id. */
  idPrefix?: string;
}

/** Renders one report figure as a standalone SVG string; the same figure always gives the same bytes. */
export async function figureToSvg(figure: FigureReport, options: FigureSvgOptions = {}): Promise<string> {
  const spec = figureSpec(figure);
  // Loaded on first use: vega and vega-lite take about a second to load, and only reports need them.
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    return renameIds(svg, options.idPrefix ?? `fig-${figure.id.replace(/[^A-Za-z0-9_-]/g, '_')}`);
  } finally {
    view.finalize();
  }
}

/** Tableau 10, Vega's default categorical scheme, spelled out so that colours can follow groups. */
const GROUP_PALETTE = [
  '#4c78a8',
  '#f58518',
  '#e45756',
  '#72b7b2',
  '#54a24b',
  '#eeca3b',
  '#b279a2',
  '#ff9da6',
  '#9d755d',
  '#bab0ac',
];

/** The Vega-Lite spec of a figure: one layer per series style, sharing one colour scale by series name. */
function figureSpec(figure: FigureReport): TopLevelSpec {
  const names = figure.series.map((s) => s.name);
  // One colour per group (a series without a group is its own group), in order of appearance.
  const groups = [...new Set(figure.series.map((s) => s.group ?? s.name))];
  const groupIndex = figure.series.map((s) => groups.indexOf(s.group ?? s.name));
  const rows = (style: SeriesReport['style']): Row[] =>
    figure.series.filter((s) => s.style === style).flatMap((s) => plottableRows(s, figure));
  const lineRows = rows('line');
  const pointRows = rows('points');
  // A rule is drawn at its first point's y only; x is meaningless for it and is not plotted.
  const ruleRows = figure.series
    .filter((s) => s.style === 'rule')
    .flatMap((s) => plottableRows({ ...s, points: s.points.slice(0, 1) }, figure));
  const barRows = pointRows.filter((r) => r.lo !== undefined && r.hi !== undefined);
  const ruleNames = figure.series.filter((s) => s.style === 'rule').map((s) => s.name);
  const pointNames = figure.series.filter((s) => s.style === 'points').map((s) => s.name);
  const all = [...lineRows, ...pointRows, ...ruleRows];
  const plotted = new Set(all.map((r) => r.series));
  const emptyNames = names.filter((n) => !plotted.has(n));

  const xs = [...lineRows, ...pointRows].map((r) => r.x);
  const ys = all.flatMap((r) => [r.y, r.lo ?? r.y, r.hi ?? r.y]);
  const x = { field: 'x', type: 'quantitative', title: figure.xLabel, ...axisOf(figure.xScale, xs, false) } as const;
  const y = { field: 'y', type: 'quantitative', title: figure.yLabel, ...axisOf(figure.yScale, ys, true) } as const;
  const color = {
    field: 'series',
    type: 'nominal',
    // An explicit domain keeps the colours in the order the report lists its series, and gives a
    // series with no plottable point a legend entry (marked as such) instead of silently vanishing.
    scale: { domain: names, range: names.map((_, i) => GROUP_PALETTE[groupIndex[i] % GROUP_PALETTE.length]) },
    legend: legendOf(names, emptyNames, pointNames, ruleNames),
  } as const;

  const layers = layersOf(figure, names, { lineRows, barRows, pointRows, ruleRows }, { x, y, color });

  return {
    description: figure.title,
    width: PLOT_WIDTH,
    height: PLOT_HEIGHT,
    background: 'white',
    padding: 8,
    config: {
      // Generic family only: the SVG must not depend on a font that has to be fetched or installed.
      font: 'sans-serif',
      axis: { labelFontSize: 13, titleFontSize: 14, titleFontWeight: 'normal', gridColor: '#e5e5e5' },
      legend: { labelFontSize: LEGEND_FONT_PX },
      view: { stroke: '#999' },
    },
    layer: layers,
  } as TopLevelSpec;
}

/** The legend: one entry per series in report order, symbols in each series' style, empty series marked. */
function legendOf(names: string[], emptyNames: string[], pointNames: string[], ruleNames: string[]) {
  return names.length === 0
    ? null
    : {
        title: null,
        orient: 'bottom',
        direction: 'vertical',
        // Without a canvas, Vega estimates a label as 0.8 em per character and truncates on that
        // estimate; long names get a column of their own rather than an ellipsis.
        columns: Math.max(0, ...names.map((n) => n.length)) * 0.8 * LEGEND_FONT_PX > 240 ? 1 : 2,
        labelLimit: 480,
        labelExpr: `indexof(${exprArray(emptyNames)}, datum.label) >= 0 ? datum.label + ' (no plottable points)' : datum.label`,
        // Legend symbols follow each series' style: a stroke for curves, dashed for rules, a dot for points.
        encode: {
          symbols: {
            update: {
              shape: { signal: `indexof(${exprArray(pointNames)}, datum.value) >= 0 ? 'circle' : 'stroke'` },
              strokeDash: { signal: `indexof(${exprArray(ruleNames)}, datum.value) >= 0 ? [6, 4] : [1, 0]` },
              strokeWidth: { value: 2 },
              // Vega's default legend dot is much larger than the plotted markers.
              size: { signal: `indexof(${exprArray(pointNames)}, datum.value) >= 0 ? 40 : 120` },
            },
          },
        },
      };
}

/** One layer per style that has rows (lines, error bars, points, rules), or an invisible placeholder. */
function layersOf(
  figure: FigureReport,
  names: string[],
  rows: { lineRows: Row[]; barRows: Row[]; pointRows: Row[]; ruleRows: Row[] },
  enc: { x: object; y: object; color: object },
): object[] {
  const { lineRows, barRows, pointRows, ruleRows } = rows;
  const { x, y, color } = enc;
  const layers: object[] = [];
  if (lineRows.length > 0) {
    layers.push({
      data: { values: lineRows },
      mark: { type: 'line', strokeWidth: 2 },
      // The series' own order, not x order: a curve is drawn through its points as reported.
      encoding: { x, y, color, order: { field: 'index', type: 'quantitative' } },
    });
  }
  if (barRows.length > 0) {
    layers.push({
      data: { values: barRows },
      mark: { type: 'rule', strokeWidth: 1.5 },
      encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' }, color },
    });
  }
  if (pointRows.length > 0) {
    layers.push({
      data: { values: pointRows },
      mark: { type: 'point', filled: true, size: 40, opacity: 1 },
      encoding: { x, y, color },
    });
  }
  if (ruleRows.length > 0) {
    layers.push({
      data: { values: ruleRows },
      mark: { type: 'rule', strokeWidth: 1.5, strokeDash: [6, 4] },
      encoding: { y, color },
    });
  }
  if (layers.length === 0) {
    // Nothing to plot: an invisible point at a placeholder position keeps the axes and the legend,
    // so the reader sees an empty figure rather than a missing one.
    const at = { x: figure.xScale === 'log' ? 1 : 0, y: figure.yScale === 'log' ? 1 : 0 };
    layers.push({
      data: { values: [{ series: names[0] ?? '', index: 0, ...at }] },
      mark: { type: 'point', opacity: 0, aria: false },
      encoding: { x, y, ...(names.length > 0 ? { color } : {}) },
    });
  }

  return layers;
}

/**
 * The points of a series that the figure's scales can show. On a log axis, a non-positive value
 * has no position (log would give NaN or −∞), so such a point is dropped; a non-positive lower
 * error bound on a log y axis drops the error bar of that point, while the point itself stays.
 */
function plottableRows(series: SeriesReport, figure: FigureReport): Row[] {
  const xOk = (v: number) => figure.xScale !== 'log' || v > 0;
  const yOk = (v: number) => figure.yScale !== 'log' || v > 0;
  const out: Row[] = [];
  for (const p of series.points) {
    if (!xOk(p.x) || !yOk(p.y)) continue;
    const row: Row = { series: series.name, index: out.length, x: p.x, y: p.y };
    if (p.lo !== undefined && p.hi !== undefined && yOk(p.lo) && yOk(p.hi)) {
      row.lo = p.lo;
      row.hi = p.hi;
    }
    out.push(row);
  }
  return out;
}

/**
 * Scale and axis of one position channel. The domain leaves a little room beyond the outermost
 * data so markers there are not cut by the frame. A log axis spanning a decade or more gets one
 * labelled grid line per decade: Vega's default adds eight minor grid lines per decade, which
 * buries the curves, and prints 1e-6 as 0.000001.
 */
function axisOf(type: 'linear' | 'log', values: number[], includeZero: boolean): { scale: object; axis: object } {
  if (type === 'linear') {
    // Zero belongs on a linear error axis (it is the ideal value); on x it would only squash the data.
    const [lo, hi] = extent(includeZero ? [...values, 0] : values);
    if (values.length === 0 || !(hi > lo)) return { scale: { type: 'linear', zero: includeZero }, axis: {} };
    // Padding is added by hand, before rounding to nice values: Vega's own pixel padding is
    // applied after the zero baseline and would push an error axis below zero.
    const pad = 0.03 * (hi - lo);
    return {
      scale: { type: 'linear', domain: [lo === 0 ? 0 : lo - pad, hi === 0 ? 0 : hi + pad], nice: true, zero: false },
      axis: {},
    };
  }
  const fallback = { scale: { type: 'log', nice: false, padding: EDGE_PX }, axis: {} };
  if (values.length === 0) return fallback;
  const [min, max] = extent(values);
  const lo = Math.ceil(Math.log10(min) - 1e-9);
  const hi = Math.floor(Math.log10(max) + 1e-9);
  if (hi - lo < 1) return fallback; // fewer than two decades inside the data: Vega's ticks do better
  const step = Math.ceil((hi - lo) / 8); // at most about nine labels, whatever the span
  const exponents: number[] = [];
  for (let e = lo; e <= hi; e += step) exponents.push(e);
  const plain = lo >= -3 && hi <= 4;
  const labels = exponents.map((e) => (plain ? decimal(e) : `10${superscript(e)}`));
  return {
    scale: { type: 'log', nice: false, padding: EDGE_PX },
    axis: {
      values: exponents.map((e) => 10 ** e),
      // The label is looked up by exponent rather than formatted in Vega, so it is exact text.
      labelExpr: `${exprArray(labels)}[round((log(datum.value) / LN10 - ${lo}) / ${step})]`,
    },
  };
}

/** [min, max] by a loop: spreading a long series into Math.min would overflow the call stack. */
function extent(values: number[]): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return [min, max];
}

const LEGEND_FONT_PX = 13;

/** Room, in pixels, between the outermost data and the frame of a log axis. */
const EDGE_PX = 10;

/** 10^e as a plain decimal (e between −3 and 4), with thousands separated by commas. */
function decimal(e: number): string {
  return e < 0 ? `0.${'0'.repeat(-e - 1)}1` : `1${'0'.repeat(e)}`.replace(/\B(?=(\d{3})+$)/g, ',');
}

function superscript(e: number): string {
  const digits = '⁰¹²³⁴⁵⁶⁷⁸⁹';
  return (
    (e < 0 ? '⁻' : '') +
    String(Math.abs(e))
      .split('')
      .map((d) => digits[Number(d)])
      .join('')
  );
}

/** A Vega expression array literal of strings; JSON string literals are valid expression literals. */
function exprArray(values: string[]): string {
  // U+2028/2029 are legal in JSON but not in every JavaScript-like parser's string literals.
  return JSON.stringify(values)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * Vega numbers clip paths and gradients with a process-wide counter, so ids depend on what was
 * rendered before and collide between figures of one page. Renumbering them in order of
 * appearance under a per-figure prefix makes the bytes reproducible and the ids unique.
 */
function renameIds(svg: string, prefix: string): string {
  const ids = new Map<string, string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) {
    if (!ids.has(m[1])) ids.set(m[1], `${prefix}-${ids.size + 1}`);
  }
  if (ids.size === 0) return svg;
  return svg
    .replace(/(\sid=")([^"]+)(")/g, (_, a: string, id: string, b: string) => `${a}${ids.get(id) ?? id}${b}`)
    .replace(/url\(#([^)]+)\)/g, (whole: string, id: string) => (ids.has(id) ? `url(#${ids.get(id)})` : whole))
    .replace(/(href=")#([^"]+)(")/g, (whole: string, a: string, id: string, b: string) =>
      ids.has(id) ? `${a}#${ids.get(id)}${b}` : whole,
    );
}
