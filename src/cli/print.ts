/** Output helpers: one JSON object on stdout with --json, readable text otherwise. */

/** Prints `value` as one line of JSON, or the text from `describe`. */
export function printResult(value: unknown, json: boolean | undefined, describe: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value)}\n` : `${describe()}\n`);
}

/** Number for humans: `digits` significant digits, exponent form when very small or large. */
export function formatNumber(x: number, digits = 10): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e-4 && a < 1e7) return String(Number(x.toPrecision(digits)));
  return x.toExponential(digits - 1).replace(/\.?0+e/, 'e');
}
