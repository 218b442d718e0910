import { describe, expect, it } from 'vitest';
import { rankLowerBound } from '../../src/theory/rank-bound.js';
import { expectUsageError, runCli } from './run-cli.js';

describe('rankcheck search', () => {
  it('reports the bound, the best trained model with its interval, the full-rank control and the backend', () => {
    const r = runCli('search', '--d', '6', '--r', '1', '--heads', '2', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      claim: 'theorem-2',
      d: 6,
      r: 1,
      heads: 2,
      restarts: 2,
      counterexample: null,
      complete: true,
    });
    expect(out.lowerBound).toBe(rankLowerBound(6, 1, Math.log10(2)).value);
    expect(['node', 'wasm', 'cpu']).toContain(out.backend);
    expect(out.bestErrorCi[0]).toBeLessThanOrEqual(out.bestError);
    expect(out.bestErrorCi[1]).toBeGreaterThan(out.lowerBound);
    expect(out.fullRankError).toBeLessThan(out.lowerBound);
  }, 120_000);

  for (const [args, name] of [
    [['--d', '6', '--r', '6', '--heads', '2'], /--r/],
    [['--d', '6', '--r', '1', '--heads', '0'], /--heads/],
    [['--d', '6', '--r', '1', '--heads', '2', '--variant', 'mlp'], /--variant/],
    [['--d', '6', '--r', '1', '--heads', '2', '--backend', 'gpu'], /--backend/],
  ] as const) {
    it(`rejects ${args.join(' ')}`, () => expectUsageError(['search', ...args], name));
  }
});
