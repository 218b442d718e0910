/**
 * Parsers for numeric options. Each rejects anything that is not exactly a number of the
 * required kind (no "12abc", no NaN, no Infinity) with a message commander attaches to the option.
 */
import { InvalidArgumentError } from 'commander';
import { UsageError } from './usage-error.js';

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Accepts decimal notation only ("1e6", "0.5"); never hex, "", "Infinity" or trailing text. */
function toNumber(text: string): number {
  const t = text.trim();
  if (!DECIMAL.test(t)) throw new InvalidArgumentError(`expected a number, got "${text}"`);
  return Number(t);
}

/** Integer in [min, max]. */
export function integerIn(min: number, max: number): (text: string) => number {
  return (text) => {
    const v = toNumber(text);
    if (!Number.isInteger(v)) throw new InvalidArgumentError(`expected an integer, got "${text}"`);
    if (v < min || v > max) throw new InvalidArgumentError(`must be between ${min} and ${max}, got ${v}`);
    return v;
  };
}

/** Finite number in [min, max] (or (min, max] with openMin). */
export function numberIn(min: number, max: number, openMin = false): (text: string) => number {
  return (text) => {
    const v = toNumber(text);
    if (!Number.isFinite(v)) throw new InvalidArgumentError(`expected a finite number, got "${text}"`);
    if (openMin ? v <= min : v < min) throw new InvalidArgumentError(`must be ${openMin ? '>' : '≥'} ${min}, got ${v}`);
    if (v > max) throw new InvalidArgumentError(`must be ≤ ${max}, got ${v}`);
    return v;
  };
}

/** One of the given words. */
export function oneOf<T extends string>(...choices: T[]): (text: string) => T {
  return (text) => {
    if (!(choices as string[]).includes(text))
      throw new InvalidArgumentError(`expected one of ${choices.join(', ')}, got "${text}"`);
    return text as T;
  };
}

/** A head count given as a decimal integer of any size ("12", "1e300", "2.5e1000"). */
export interface HeadCount {
  /** The text as given. */
  text: string;
  /** log10 of the count; −∞ for 0. */
  log10: number;
  /** The count as a number when it is an integer below 2^53, else null. */
  exact: number | null;
}

const HEAD_COUNT = /^(\d+)(?:\.(\d*))?(?:[eE]\+?(\d+))?$/;

/** Parses a non-negative whole number written in decimal or scientific notation, beyond the double range if need be. */
export function headCount(text: string): HeadCount {
  const t = text.trim();
  const m = HEAD_COUNT.exec(t);
  if (!m) throw new InvalidArgumentError(`expected a whole number such as 16, 1e300 or 2.5e1000, got "${text}"`);
  const intPart = m[1].replace(/^0+(?=\d)/, '');
  const frac = (m[2] ?? '').replace(/0+$/, '');
  const exp = Number(m[3] ?? '0');
  if (frac.length > exp) throw new InvalidArgumentError(`a head count must be a whole number, got "${text}"`);
  const digits = (intPart + frac).replace(/^0+/, '');
  if (digits === '') return { text: t, log10: -Infinity, exact: 0 };
  // value = digits × 10^(exp − frac.length); log10 from the leading 17 digits.
  const lead = Number(`0.${digits.slice(0, 17)}`);
  const log10 = Math.log10(lead) + digits.length + exp - frac.length;
  const value = Number(t);
  return { text: t, log10, exact: Number.isSafeInteger(value) && log10 < 53 * Math.log10(2) ? value : null };
}

/** --r ≤ --d, or bad input naming both (after each was parsed on its own). */
export function requireRankAtMostD(d: number, r: number): void {
  if (r > d) throw new UsageError(`--r must be ≤ --d (got --r ${r}, --d ${d})`);
}
