import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rankLowerBound } from '../../src/theory/rank-bound.js';
import { expectUsageError, runCli as run } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'rankcheck-cli-'));

function headsFile(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('rankcheck bound', () => {
  it('prints the documented JSON and echoes the head count', () => {
    const out = JSON.parse(run('bound', '--d', '8', '--r', '1', '--heads', '16', '--json').stdout);
    expect(out).toMatchObject({ claim: 'theorem-2', d: 8, r: 1, heads: 16 });
    expect(out.lowerBound).toBe(rankLowerBound(8, 1, Math.log10(16)).value);
  });

  it('accepts head counts beyond the double range', () => {
    const out = JSON.parse(run('bound', '--d', '16', '--r', '2', '--heads', '2.5e1000', '--json').stdout);
    expect(out.heads).toBe('2.5e1000');
    expect(out.log10Heads).toBeCloseTo(1000.39794, 5);
    expect(out.lowerBound).toBeGreaterThan(0);
  });

  for (const [args, name] of [
    [['--d', '8', '--r', '0', '--heads', '4'], /--r/],
    [['--d', '8', '--r', '9', '--heads', '4'], /--r/],
    [['--d', '8', '--r', '1', '--heads', '1.5'], /--heads/],
    [['--d', '8', '--r', '1', '--heads', '-2'], /--heads/],
    [['--d', '2', '--r', '1', '--heads', '4'], /--d/],
  ] as const) {
    it(`rejects ${args.join(' ')}`, () => expectUsageError(['bound', ...args], name));
  }
});

describe('rankcheck heads-needed', () => {
  it('reports log10 and the exact count when it is small', () => {
    const out = JSON.parse(run('heads-needed', '--d', '8', '--r', '1', '--eps', '0.1', '--json').stdout);
    expect(out).toMatchObject({ claim: 'theorem-2', d: 8, r: 1, eps: 0.1, minHeads: '108' });
    expect(out.log10MinHeads).toBeCloseTo(Math.log10(108), 12);
    // The least count: the bound at one head fewer is still above ε.
    expect(rankLowerBound(8, 1, Math.log10(107)).value).toBeGreaterThan(0.1);
    expect(rankLowerBound(8, 1, Math.log10(108)).value).toBeLessThanOrEqual(0.1);
  });

  it('reports null for an astronomically large count', () => {
    const out = JSON.parse(run('heads-needed', '--d', '64', '--r', '1', '--eps', '0.01', '--json').stdout);
    expect(out.minHeads).toBeNull();
    expect(out.log10MinHeads).toBeGreaterThan(50);
  });

  for (const [args, name] of [
    [['--d', '8', '--r', '1', '--eps', '0'], /--eps/],
    [['--d', '8', '--r', '1', '--eps', '0.7'], /--eps/],
    [['--d', '8', '--r', '0', '--eps', '0.1'], /--r/],
    [['--d', '8', '--r', '12', '--eps', '0.1'], /--r/],
  ] as const) {
    it(`rejects ${args.join(' ')}`, () => expectUsageError(['heads-needed', ...args], name));
  }
});

describe('rankcheck construct rank1', () => {
  it('solves a heads file, normalising its vectors', () => {
    const f = headsFile(
      'ok.json',
      JSON.stringify({
        d: 3,
        heads: [
          { q: [2, 0, 0], k: [1, 1, 0] },
          { q: [0, 1, 0], k: [0, 3, 0] },
        ],
      }),
    );
    const out = JSON.parse(run('construct', 'rank1', '--heads-file', f, '--json').stdout);
    expect(out).toMatchObject({ claim: 'theorem-2', d: 3, heads: 2 });
    expect(out.weights).toHaveLength(2);
    expect(out.agreement).toHaveLength(2);
    expect(out.optimalError).toBeGreaterThanOrEqual(out.lowerBound);
  });

  it('draws random heads from a seed, reproducibly', () => {
    const a = run('construct', 'rank1', '--d', '8', '--heads', '16', '--seed', '3', '--json').stdout;
    expect(run('construct', 'rank1', '--d', '8', '--heads', '16', '--seed', '3', '--json').stdout).toBe(a);
    expect(JSON.parse(a).heads).toBe(16);
  });

  const bad: [string, string, RegExp][] = [
    ['not JSON', '{"d": 3, "heads": [', /not valid JSON/],
    ['mismatched lengths', JSON.stringify({ d: 3, heads: [{ q: [1, 0], k: [1, 0, 0] }] }), /head 0/],
    ['a zero vector', JSON.stringify({ d: 2, heads: [{ q: [0, 0], k: [1, 0] }] }), /zero|length/i],
    ['a missing field', JSON.stringify({ d: 2, heads: [{ q: [1, 0] }] }), /heads\.0\.k/],
  ];
  for (const [what, content, message] of bad) {
    it(`rejects a heads file with ${what}`, () =>
      expectUsageError(['construct', 'rank1', '--heads-file', headsFile(`${what}.json`, content)], message));
  }

  it('--recipe published gives the released computation beside the exact error of the same heads, and each departure alone', () => {
    const f = headsFile(
      'raw.json',
      JSON.stringify({
        d: 3,
        heads: [
          { q: [1, 0, 0], k: [0.5, 0.3, 0] },
          { q: [0, 1, 0], k: [0.2, -0.6, 0.1] },
          { q: [0, 0, 1], k: [0, 0.4, 0.7] },
        ],
      }),
    );
    const pub = JSON.parse(run('construct', 'rank1', '--heads-file', f, '--recipe', 'published', '--json').stdout);
    const exact = JSON.parse(run('construct', 'rank1', '--heads-file', f, '--json').stdout);
    expect(pub).toMatchObject({ claim: 'random-features', recipe: 'published', d: 3, heads: 3 });
    expect(Object.keys(pub.causes)).toEqual([
      'rawKeysInC',
      'nominalAngle',
      'truncatedSeries',
      'float16',
      'cgTolerance',
    ]);
    // The same unit heads, the same direct solve: equal to rounding.
    expect(Math.abs(pub.exactError - exact.optimalError)).toBeLessThan(1e-12);
    // Short keys: the published number is not the error of any weights, the true error of its weights is at least the optimum.
    expect(pub.publishedError).not.toBeCloseTo(pub.exactError, 3);
    expect(pub.publishedWeightsTrueError).toBeGreaterThanOrEqual(pub.exactError - 1e-12);
    // The published weights run as hardmax heads on 100 000 fresh D_2 samples (fixed seed, level 0.999).
    expect(pub.simulation).toMatchObject({ samples: 100000, level: 0.999, containsTrueError: true, complete: true });
  });

  it('draws the paper distribution reproducibly and refuses the published recipe beyond 4096 heads', () => {
    const args = [
      'construct',
      'rank1',
      '--d',
      '8',
      '--heads',
      '32',
      '--distribution',
      'paper',
      '--recipe',
      'published',
      '--json',
    ];
    expect(run(...args).stdout).toBe(run(...args).stdout);
    expectUsageError(['construct', 'rank1', '--d', '8', '--heads', '5000', '--recipe', 'published'], /4096/);
    expectUsageError(['construct', 'rank1', '--d', '8', '--heads', '8', '--recipe', 'fast'], /--recipe/);
  });

  it('rejects a missing file and a missing head source', () => {
    expectUsageError(['construct', 'rank1', '--heads-file', join(dir, 'absent.json')], /--heads-file/);
    expectUsageError(['construct', 'rank1', '--d', '4'], /--heads/);
  });
});

describe('rankcheck figure rank1-heads', () => {
  it('gives the error against H for each d, never below the bound', () => {
    const out = JSON.parse(
      run('figure', 'rank1-heads', '--d', '8,16', '--max-heads', '32', '--trials', '2', '--json').stdout,
    );
    expect(out.rows).toHaveLength(2 * 2 * 6);
    for (const row of out.rows) expect(row.error).toBeGreaterThanOrEqual(row.lowerBound);
  });

  it('rejects a malformed dimension list', () => expectUsageError(['figure', 'rank1-heads', '--d', '8,x'], /--d/));
});
