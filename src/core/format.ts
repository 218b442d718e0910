/**
 * The one place numbers become text. Checks describe what they found as a Template: prose with
 * typed numbers (`text\`error ${fixed(e, 3)} over ${n} cases\``); the terminal, Markdown and HTML
 * all render it, and every number a report shows, through this module, so that they agree digit
 * for digit and no NaN reaches a reader ("—" stands for a missing or non-finite value).
 */

export type NumberStyle =
  /** Integers exactly; other numbers to 10 significant digits, trailing zeros dropped. */
  | { kind: 'auto' }
  /** `digits` decimals. */
  | { kind: 'fixed'; digits: number }
  /** `digits` significant digits, as written by toPrecision (trailing zeros kept). */
  | { kind: 'sig'; digits: number }
  /** Scientific notation with `digits` decimals in the mantissa. */
  | { kind: 'sci'; digits: number }
  /** A fraction shown as a percentage with `digits` decimals. */
  | { kind: 'percent'; digits: number }
  /** An angle in degrees with `digits` decimals and the ° sign. */
  | { kind: 'degrees'; digits: number }
  /** A confidence level: 1 − 1e-6 style when close to 1, else the plain number. */
  | { kind: 'level' };

export interface Quantity {
  readonly value: number | null;
  readonly style: NumberStyle;
}

/** What a template may interpolate; an array is a list joined with ", ". */
export type Arg = string | number | null | Quantity | Template | readonly Arg[];

export interface Template {
  readonly parts: readonly string[];
  readonly args: readonly Arg[];
}

/** A template from a template literal: `text\`gap ${fixed(g, 3)} at N = ${n}\``. */
export function text(strings: TemplateStringsArray, ...args: Arg[]): Template {
  return { parts: [...strings], args };
}

/** Plain prose as a template. */
export function prose(s: string): Template {
  return { parts: [s], args: [] };
}

export const fixed = (value: number | null, digits: number): Quantity => ({ value, style: { kind: 'fixed', digits } });
export const sig = (value: number | null, digits: number): Quantity => ({ value, style: { kind: 'sig', digits } });
export const sci = (value: number | null, digits: number): Quantity => ({ value, style: { kind: 'sci', digits } });
export const percent = (value: number | null, digits: number): Quantity => ({
  value,
  style: { kind: 'percent', digits },
});
export const degrees = (value: number | null, digits: number): Quantity => ({
  value,
  style: { kind: 'degrees', digits },
});
export const level = (value: number | null): Quantity => ({ value, style: { kind: 'level' } });

/** `items` joined with `separator` (a template, so its numbers stay typed). */
export function join(items: readonly Arg[], separator = ', '): Template {
  const parts = [''];
  for (let i = 1; i < items.length; i++) parts.push(separator);
  if (items.length > 0) parts.push('');
  return { parts: items.length ? parts : [''], args: items };
}

/** "[lo, hi]" with both ends in one style. */
export function interval(lo: number | null, hi: number | null, style: (x: number | null) => Quantity): Template {
  return text`[${style(lo)}, ${style(hi)}]`;
}

function isQuantity(a: Arg): a is Quantity {
  return typeof a === 'object' && a !== null && 'style' in a;
}

function isTemplate(a: Arg): a is Template {
  return typeof a === 'object' && a !== null && 'parts' in a;
}

/** The text of a template or argument. */
export function render(a: Arg): string {
  if (a === null) return '—';
  if (typeof a === 'string') return a;
  if (typeof a === 'number') return formatValue(a, AUTO);
  if (isQuantity(a)) return formatValue(a.value, a.style);
  if (isTemplate(a)) {
    let out = a.parts[0] ?? '';
    for (let i = 0; i < a.args.length; i++) out += render(a.args[i]) + (a.parts[i + 1] ?? '');
    return out;
  }
  return (a as readonly Arg[]).map(render).join(', ');
}

const AUTO: NumberStyle = { kind: 'auto' };

/** One number in one style; null or non-finite is "—". */
export function formatValue(x: number | null | undefined, style: NumberStyle): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  switch (style.kind) {
    case 'auto':
      return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(10)));
    case 'fixed':
      return x.toFixed(style.digits);
    case 'sig':
      return x.toPrecision(style.digits);
    case 'sci':
      return x.toExponential(style.digits);
    case 'percent':
      return `${(100 * x).toFixed(style.digits)}%`;
    case 'degrees':
      return `${x.toFixed(style.digits)}°`;
    case 'level': {
      const miss = 1 - x;
      // 0.999 and closer to 1 read better as 1 − 1e-3 … 1 − 1e-6.
      return miss > 0 && miss < 5e-3 ? `1 − ${miss.toExponential(0)}` : String(Number(x.toPrecision(6)));
    }
  }
}

/**
 * A number for tables and terminals: integers below 1e15 exactly (a seed or case count needs every
 * digit), others to `digits` significant digits, in exponent form below 1e-4 or from 1e9 on.
 */
export function formatNumber(x: number | null | undefined, digits = 6): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-4 || a >= 1e9)) return x.toExponential(digits - 1).replace(/\.?0+e/, 'e');
  return String(Number(x.toPrecision(digits)));
}

/** A duration in milliseconds as "850 ms", "12.3 s" or "1 h 02 min 05 s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h} h ${pad(m)} min ${pad(s % 60)} s` : `${m} min ${pad(s % 60)} s`;
}
