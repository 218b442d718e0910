import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REGISTRY } from '../../properties/registry.js';
import { packageRoot } from '../../src/core/package-root.js';

const baseline = (file: string) => JSON.parse(readFileSync(join(packageRoot(), 'reports', 'baseline', file), 'utf8'));

/** Metric names of each check in the committed quick report and in the standard stability run's seed 0. */
const quickMetrics = new Map<string, string[]>(
  (baseline('quick.json') as { claims: { id: string; checks: { name: string; metrics: object }[] }[] }).claims.flatMap(
    (c) => c.checks.map((k) => [`${c.id}/${k.name}`, Object.keys(k.metrics)] as [string, string[]]),
  ),
);
const standardMetrics = new Map<string, string[]>(
  (baseline('stability-standard.json') as { records: { id: string; seed: number; metrics: object }[] }).records
    .filter((r) => r.seed === 0 && r.id.includes('/check/'))
    .map((r) => [r.id.replace(/^0:/, '').replace('/check/', '/'), Object.keys(r.metrics)] as [string, string[]]),
);

describe('every claim’s reach', () => {
  it.each(REGISTRY.claims.map((c) => [c.id, c] as const))(
    '%s declares the paper’s setting beside the tested one',
    (_id, claim) => {
      expect(claim.reach?.rows.length).toBeGreaterThan(0);
    },
  );

  it.each(REGISTRY.claims.flatMap((c) => (c.reach?.numbers ?? []).map((n) => [c.id, n.label, c, n] as const)))(
    '%s: “%s” reads a metric its check really records (quick and standard baselines)',
    (_id, _label, claim, n) => {
      expect(claim.checks.map((k) => k.name)).toContain(n.check);
      for (const [budget, recorded] of [
        ['quick', quickMetrics],
        ['standard', standardMetrics],
      ] as const) {
        const at = n.ours(budget);
        if (at === null) continue;
        expect(recorded.get(`${claim.id}/${n.check}`) ?? [], `${budget}`).toContain(at.metric);
      }
    },
  );
});
