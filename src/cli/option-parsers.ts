/**
 * Parsers for numeric options. Each rejects anything that is not exactly a number of the
 * required kind (no "12abc", no NaN, no Infinity) with a message commander attaches to the option.
 */
import { InvalidArgumentError } from 'commander';

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
    if (!(choices as string[]).includes(text)) throw new InvalidArgumentError(`expected one of ${choices.join(', ')}, got "${text}"`);
    return text as T;
  };
}
