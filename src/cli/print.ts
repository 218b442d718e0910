/** Output helpers: one JSON object on stdout with --json, readable text otherwise. */
import { formatNumber } from '../core/format.js';

/** Prints `value` as one line of JSON, or the text from `describe`. */
export function printResult(value: unknown, json: boolean | undefined, describe: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value)}\n` : `${describe()}\n`);
}

/** A number a user asked for, in the terminal: 10 significant digits (core/format's rules). */
export const precise = (x: number | null | undefined): string => formatNumber(x, 10);
