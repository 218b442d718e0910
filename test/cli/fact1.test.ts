import { describe, expect, it } from 'vitest';
import { fact1ExactError } from '../../src/theory/fact1.js';
import { expectUsageError, runCli as run } from './run-cli.js';

describe('rankcheck fact1', () => {
  it('answers N = 2 on D_2 exactly, with the documented JSON fields', () => {
    const r = run('fact1', '--d', '16', '--beta', '10', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ claim: 'fact-1', d: 16, beta: 10, n: 2, dist: 'ortho', method: 'exact' });
    expect(out.error).toBe(fact1ExactError(16, 10).error);
    expect(out.errorEstimate).toBeLessThan(1e-12);
  });

  it('samples other settings and reports the interval, its level and the sample count', () => {
    const r = run(
      'fact1',
      '--d',
      '8',
      '--beta',
      '4',
      '--n',
      '16',
      '--dist',
      'unif',
      '--samples',
      '5000',
      '--seed',
      '3',
      '--json',
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      claim: 'fact-1',
      n: 16,
      dist: 'unif',
      method: 'monte-carlo',
      level: 0.95,
      samples: 5000,
      seed: 3,
    });
    expect(out.ci[0]).toBeLessThanOrEqual(out.error);
    expect(out.error).toBeLessThanOrEqual(out.ci[1]);
  });

  it('prints the same bytes for the same seed, whatever the number of worker threads', () => {
    const args = ['fact1', '--d', '12', '--beta', '3', '--n', '5', '--samples', '20000', '--seed', '8', '--json'];
    const one = run(...args, '--workers', '0');
    const two = run(...args, '--workers', '2');
    expect(one.code).toBe(0);
    expect(two.stdout).toBe(one.stdout);
  });

  it('on request, samples D_2 too and its interval brackets the exact value', () => {
    const r = run(
      'fact1',
      '--d',
      '10',
      '--beta',
      '5',
      '--method',
      'monte-carlo',
      '--samples',
      '40000',
      '--level',
      '0.999999',
      '--json',
    );
    const out = JSON.parse(r.stdout);
    expect(out.exactError).toBe(fact1ExactError(10, 5).error);
    expect(out.ci[0]).toBeLessThanOrEqual(out.exactError);
    expect(out.exactError).toBeLessThanOrEqual(out.ci[1]);
  });

  it('prints a readable summary without --json', () => {
    const r = run('fact1', '--d', '16', '--beta', '10');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/error \(exact, quadrature\)\s+0\.0809145603/);
  });

  const bad: [string[], RegExp][] = [
    [['--d', '2', '--beta', '1'], /--d/],
    [['--d', 'abc', '--beta', '1'], /--d/],
    [['--d', '8', '--beta', '-1'], /--beta/],
    [['--d', '8', '--beta', 'NaN'], /--beta/],
    [['--d', '8', '--beta', '1', '--n', '0'], /--n/],
    [['--d', '8', '--beta', '1', '--n', '40', '--dist', 'ortho'], /--n/],
    [['--d', '8', '--beta', '1', '--dist', 'gauss'], /--dist/],
    [['--d', '8', '--beta', '1', '--samples', '1'], /--samples/],
    [['--d', '8', '--beta', '1', '--n', '3', '--method', 'exact'], /--method/],
    [['--d', '8', '--beta', '1', '--frobnicate'], /--frobnicate/],
    [['--beta', '1'], /--d/],
  ];
  for (const [args, names] of bad) {
    it(`rejects ${args.join(' ')} with exit 2 and one line naming the option`, () =>
      expectUsageError(['fact1', ...args], names));
  }

  it('rejects an unknown command with exit 2', () => expectUsageError(['fact9'], /fact9/));

  it('shows help with exit 0', () => {
    const r = run('fact1', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--beta <B>/);
  });
});
