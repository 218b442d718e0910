/** Output helpers: one JSON object on stdout with --json, readable text otherwise. */
import { formatNumber } from '../core/format.js';

/** The path of the first number in `value` that is NaN or ±Infinity, or null when every number is finite. */
export function firstNonFinite(value: unknown, path = 'result'): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : path;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView))
    return firstNonFinite(Array.from(value as unknown as ArrayLike<number>), path);
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const bad = firstNonFinite(v, `${path}[${i}]`);
      if (bad) return bad;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const bad = firstNonFinite(v, `${path}.${k}`);
      if (bad) return bad;
    }
  }
  return null;
}

/**
 * Prints `value` as one line of JSON, or the text from `describe`. A promised number that came out
 * NaN or ±Infinity is never a success: one line on stderr names it, nothing is printed, exit 3.
 */
export function printResult(value: unknown, json: boolean | undefined, describe: () => string): void {
  const bad = firstNonFinite(value);
  if (bad) {
    process.stderr.write(`rankcheck: internal error: ${bad} is not a finite number\n`);
    process.exitCode = 3;
    return;
  }
  process.stdout.write(json ? `${JSON.stringify(value)}\n` : `${describe()}\n`);
}

/** A number a user asked for, in the terminal: 10 significant digits (core/format's rules). */
export const precise = (x: number | null | undefined): string => formatNumber(x, 10);
