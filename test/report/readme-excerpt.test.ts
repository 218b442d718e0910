/**
 * The README's excerpt of a verify summary is a real run's: each of its lines is the line the
 * committed quick baseline (reports/baseline/quick.json) prints, or a prefix of it cut with "…".
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verifySummary } from '../../src/report/run-summary.js';
import { validateReport } from '../../src/report/schema.js';

const root = new URL('../../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');
const baseline = validateReport(JSON.parse(readFileSync(new URL('reports/baseline/quick.json', root), 'utf8')));

/** The excerpt: the code block that opens with the summary's first line. */
function excerpt(): string[] {
  const start = readme.indexOf('rankcheck verify — budget quick, seed 0\n');
  expect(start).toBeGreaterThan(0);
  return readme.slice(start, readme.indexOf('```', start)).trimEnd().split('\n');
}

describe('the README excerpt of a verify summary', () => {
  it('quotes the committed quick baseline line for line (a line may be cut short with …)', () => {
    const real = verifySummary(baseline, 'reports/latest', [], false).split('\n');
    for (const line of excerpt()) {
      const cut = line.endsWith(' …') ? line.slice(0, -2) : null;
      const match = real.find((r) => (cut === null ? r === line : r.startsWith(cut)));
      expect(match, `README line not in the baseline's summary: ${line}`).toBeDefined();
    }
    // Every claim appears, in report order.
    const claims = excerpt()
      .map((l) => /^ {2}(\S+)\s{2,}/.exec(l)?.[1])
      .filter((id): id is string => id !== undefined && id !== 'sentinels');
    expect(claims).toEqual(baseline.claims.map((c) => c.id));
  });
});
