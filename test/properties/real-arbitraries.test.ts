import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/package-root.js';
import { logUniform, uniformReal } from '../../properties/support/real-arbitraries.js';

/** Pearson's χ² over ten equal bins of [0, 1). */
function chiSquareDeciles(us: number[]): number {
  const bins = new Array<number>(10).fill(0);
  for (const u of us) bins[Math.min(9, Math.floor(u * 10))]++;
  const expected = us.length / 10;
  return bins.reduce((s, b) => s + (b - expected) ** 2 / expected, 0);
}

/** Draws as a property run draws them (fast-check biases runs, not only samples). */
function drawsInRun<T>(arb: fc.Arbitrary<T>, runs: number): T[] {
  const seen: T[] = [];
  fc.assert(
    fc.property(arb, (x) => void seen.push(x)),
    { numRuns: runs, seed: 7 },
  );
  return seen;
}

// χ²(9) exceeds 33.7 with probability 1e-4: a fair generator fails once in ten thousand seeds.
const CHI2_9_TAIL_1E4 = 33.7;

describe('real-valued arbitraries', () => {
  it('uniformReal fills every tenth of its range evenly, inside a property run', () => {
    const xs = drawsInRun(uniformReal(-3, 4), 5000);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(-3);
    expect(Math.max(...xs)).toBeLessThanOrEqual(4);
    expect(chiSquareDeciles(xs.map((x) => (x + 3) / 7))).toBeLessThan(CHI2_9_TAIL_1E4);
  });

  it('logUniform fills every tenth of its decades evenly', () => {
    const xs = drawsInRun(logUniform(1e-3, 1e4), 5000);
    expect(chiSquareDeciles(xs.map((x) => (Math.log10(x) + 3) / 7))).toBeLessThan(CHI2_9_TAIL_1E4);
  });

  it('the same test rejects fast-check’s own fc.double, which crowds its draws near zero', () => {
    const xs = drawsInRun(fc.double({ min: -3, max: 4, noNaN: true }), 5000);
    expect(chiSquareDeciles(xs.map((x) => (x + 3) / 7))).toBeGreaterThan(CHI2_9_TAIL_1E4);
  });

  it('no claim draws its reals from fc.double or fc.float', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) => {
        const p = join(dir, f);
        return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
      });
    const offenders = files(join(packageRoot(), 'properties')).filter((p) =>
      /fc\.(double|float)\s*\(/.test(readFileSync(p, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
