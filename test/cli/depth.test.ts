import { describe, expect, it } from 'vitest';
import { majorityVoteError } from '../../src/theory/majority-vote.js';
import { rankLowerBound } from '../../src/theory/rank-bound.js';
import { expectUsageError, runCli as run } from './run-cli.js';

describe('rankcheck depth', () => {
  it('prints the documented JSON fields, with the exact expectation and the one-layer bound', () => {
    const r = run('depth', '--d', '8', '--heads', '63', '--samples', '4000', '--seed', '2', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      claim: 'theorem-5',
      d: 8,
      heads: 63,
      positional: 'concat',
      samples: 4000,
      complete: true,
    });
    expect(out.ci[0]).toBeLessThanOrEqual(out.error);
    expect(out.error).toBeLessThanOrEqual(out.ci[1]);
    expect(out.expectedError).toBe(majorityVoteError(8, 63).value);
    expect(out.oneLayerLowerBound).toBe(rankLowerBound(8, 1, Math.log10(64)).value);
  });

  it('is deterministic for a seed', () => {
    const args = ['depth', '--d', '6', '--heads', '9', '--samples', '3000', '--seed', '5', '--json'];
    expect(run(...args).stdout).toBe(run(...args).stdout);
  });

  it('runs the additive-position variant, which has no closed form', () => {
    const out = JSON.parse(
      run('depth', '--d', '8', '--heads', '31', '--positional', 'additive', '--samples', '2000', '--json').stdout,
    );
    expect(out).toMatchObject({ positional: 'additive', alpha: 1, expectedError: null });
  });

  it('rejects bad input with one line and exit code 2', () => {
    expectUsageError(['depth', '--d', '2', '--heads', '3'], /--d/);
    expectUsageError(['depth', '--d', '8', '--heads', '0'], /--heads/);
    expectUsageError(['depth', '--d', '8', '--heads', '3', '--positional', 'rotary'], /--positional/);
    expectUsageError(['depth', '--d', '8', '--heads', '3', '--alpha', '2'], /--alpha/);
  });
});
