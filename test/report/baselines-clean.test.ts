import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/package-root.js';

const BASELINES = join(packageRoot(), 'reports', 'baseline');

/** Every committed baseline (reports/baseline/*.json; checkpoints in reports/baseline/in-progress are not baselines). */
const baselines = readdirSync(BASELINES).filter((f) => f.endsWith('.json'));

describe('committed baselines', () => {
  it('exist: the quick report and the quick and standard stability runs', () => {
    expect(baselines).toEqual(
      expect.arrayContaining(['quick.json', 'stability-quick.json', 'stability-standard.json']),
    );
  });

  it.each(baselines)('%s was generated from a clean commit (provenance names the commit, dirty: false)', (file) => {
    const { provenance } = JSON.parse(readFileSync(join(BASELINES, file), 'utf8')) as {
      provenance: { gitCommit: string | null; dirty: boolean | null };
    };
    expect(provenance.gitCommit).toMatch(/^[0-9a-f]{40}$/);
    expect(provenance.dirty).toBe(false);
  });
});
