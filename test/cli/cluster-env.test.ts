import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Registry } from '../../src/audit/registry.js';
import {
  indexedJobShard,
  resolveShard,
  slurmArrayShard,
  slurmRequeued,
  slurmWorkers,
} from '../../src/cli/cluster-env.js';
import { main } from '../../src/cli/main.js';
import { defaultWorkers, setDefaultWorkers } from '../../src/core/parallel.js';
import { expectUsageError, runCliWith } from './run-cli.js';

/** The variables Slurm sets in task `id` of `--array=min-max`. */
const array = (id: number, min: number, max: number, step = 1) => ({
  SLURM_ARRAY_JOB_ID: '77',
  SLURM_ARRAY_TASK_ID: String(id),
  SLURM_ARRAY_TASK_COUNT: String(max - min + 1),
  SLURM_ARRAY_TASK_MIN: String(min),
  SLURM_ARRAY_TASK_MAX: String(max),
  SLURM_ARRAY_TASK_STEP: String(step),
});

describe('the shard from a Slurm array task', () => {
  it('maps ids from 0 (--array=0-3) to shards 1…4', () => {
    expect([0, 1, 2, 3].map((id) => slurmArrayShard(array(id, 0, 3)))).toEqual(
      [1, 2, 3, 4].map((index) => ({ index, count: 4 })),
    );
  });

  it('maps ids from 1 (--array=1-4) to shards 1…4, and any other start likewise (--array=10-13)', () => {
    expect([1, 2, 3, 4].map((id) => slurmArrayShard(array(id, 1, 4))?.index)).toEqual([1, 2, 3, 4]);
    expect(slurmArrayShard(array(12, 10, 13))).toEqual({ index: 3, count: 4 });
  });

  it('refuses arrays whose indices are not contiguous: a step, or a list with gaps', () => {
    expect(() => slurmArrayShard(array(2, 0, 6, 2))).toThrow(/not contiguous \(SLURM_ARRAY_TASK_STEP=2\)/);
    // --array=1,3,5: Slurm reports step 1, three tasks between 1 and 5.
    const gapped = { ...array(3, 1, 5), SLURM_ARRAY_TASK_COUNT: '3' };
    expect(() => slurmArrayShard(gapped)).toThrow(/not contiguous \(3 tasks between 1 and 5\)/);
  });

  it('is none outside an array, and bad input for a malformed variable', () => {
    expect(slurmArrayShard({})).toBeNull();
    expect(slurmArrayShard({ SLURM_JOB_ID: '5' })).toBeNull();
    expect(() => slurmArrayShard({ ...array(1, 0, 3), SLURM_ARRAY_TASK_MIN: undefined })).toThrow(
      /SLURM_ARRAY_TASK_MIN is not/,
    );
    expect(() => slurmArrayShard({ ...array(1, 0, 3), SLURM_ARRAY_TASK_ID: 'one' })).toThrow(
      /SLURM_ARRAY_TASK_ID must be a non-negative integer/,
    );
  });
});

describe('the shard from a Kubernetes indexed Job', () => {
  it('is JOB_COMPLETION_INDEX + 1 of --shard-count or RANKCHECK_SHARD_COUNT', () => {
    expect(indexedJobShard({ JOB_COMPLETION_INDEX: '0', RANKCHECK_SHARD_COUNT: '4' }, undefined)).toEqual({
      index: 1,
      count: 4,
    });
    expect(indexedJobShard({ JOB_COMPLETION_INDEX: '3' }, 4)).toEqual({ index: 4, count: 4 });
    // --shard-count wins over the variable.
    expect(indexedJobShard({ JOB_COMPLETION_INDEX: '3', RANKCHECK_SHARD_COUNT: '2' }, 8)).toEqual({
      index: 4,
      count: 8,
    });
  });

  it('refuses a missing count and an index beyond it', () => {
    expect(() => indexedJobShard({ JOB_COMPLETION_INDEX: '0' }, undefined)).toThrow(
      /--shard-count N or set RANKCHECK_SHARD_COUNT/,
    );
    expect(() => indexedJobShard({ JOB_COMPLETION_INDEX: '4' }, 4)).toThrow(/needs a shard count above 4/);
  });
});

describe('which shard wins', () => {
  it('--shard wins over Slurm and Kubernetes; Slurm over Kubernetes', () => {
    const both = { ...array(0, 0, 3), JOB_COMPLETION_INDEX: '5', RANKCHECK_SHARD_COUNT: '8' };
    expect(resolveShard({ index: 2, count: 8 }, both, undefined)).toEqual({ index: 2, count: 8 });
    expect(resolveShard(null, both, undefined)).toEqual({ index: 1, count: 4 });
    expect(resolveShard(null, {}, undefined)).toBeNull();
  });

  it('refuses --shard-count where it means nothing', () => {
    expect(() => resolveShard(null, {}, 4)).toThrow(/--shard-count needs JOB_COMPLETION_INDEX/);
    expect(() => resolveShard({ index: 1, count: 2 }, {}, 4)).toThrow(/not with --shard/);
    expect(() => resolveShard(null, array(0, 0, 3), 5)).toThrow(/disagrees with SLURM_ARRAY_TASK_COUNT=4/);
  });
});

describe('cores and restarts', () => {
  it('reads SLURM_CPUS_PER_TASK and SLURM_RESTART_COUNT', () => {
    expect(slurmWorkers({ SLURM_CPUS_PER_TASK: '3' })).toBe(3);
    expect(slurmWorkers({})).toBeUndefined();
    expect(() => slurmWorkers({ SLURM_CPUS_PER_TASK: '0' })).toThrow(/at least 1/);
    expect(slurmRequeued({ SLURM_RESTART_COUNT: '0' })).toBe(false);
    expect(slurmRequeued({ SLURM_RESTART_COUNT: '2' })).toBe(true);
    expect(slurmRequeued({})).toBe(false);
  });
});

describe('SLURM_CPUS_PER_TASK in the CLI', () => {
  const none: Registry = { claims: [], experiments: [] };
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
    setDefaultWorkers(null);
    process.exitCode = undefined;
  });

  it('becomes every command’s default worker count', async () => {
    vi.stubEnv('SLURM_CPUS_PER_TASK', '3');
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    expect(await main(['bound', '--d', '8', '--r', '1', '--heads', '4', '--json'], none)).toBe(0);
    expect(defaultWorkers()).toBe(3);
  });

  it('is bad input when malformed (exit 2, one line)', async () => {
    vi.stubEnv('SLURM_CPUS_PER_TASK', 'many');
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await main(['bound', '--d', '8', '--r', '1', '--heads', '4'], none)).toBe(2);
    expect(String(stderr.mock.calls[0][0])).toBe(
      'rankcheck: SLURM_CPUS_PER_TASK must be a non-negative integer (got "many")\n',
    );
  });
});

// The CLI end to end, on a shard of theorem-5 with no unit in it (40 shards of fewer units), so
// that each run takes about a second.
const tmp = () => mkdtempSync(join(tmpdir(), 'rankcheck-cluster-'));
const shardOf = (stdout: string) => (JSON.parse(stdout) as { provenance: { shard: unknown } }).provenance.shard;
const VERIFY = ['verify', '--claim', 'theorem-5', '--json'];

describe('rankcheck verify and stability on a cluster', () => {
  it('take the shard of a Slurm array task, from 0 or from 1', () => {
    for (const [id, min] of [
      [39, 0],
      [40, 1],
    ]) {
      const r = runCliWith(array(id, min, min + 39), ...VERIFY, '--out', tmp());
      expect(r.code, r.stderr).toBe(0);
      expect(shardOf(r.stdout)).toEqual({ index: 40, count: 40 });
    }
  });

  it('let --shard win over the environment', () => {
    const r = runCliWith(array(0, 0, 3), ...VERIFY, '--shard', '40/40', '--out', tmp());
    expect(r.code, r.stderr).toBe(0);
    expect(shardOf(r.stdout)).toEqual({ index: 40, count: 40 });
  });

  it('refuse a non-contiguous array with one line and exit 2', () => {
    expectUsageError([...VERIFY, '--out', tmp()], /SLURM_ARRAY_TASK_STEP=2/, array(2, 0, 6, 2));
    expectUsageError(
      ['stability', '--claim', 'theorem-5', '--seeds', '1', '--out', tmp()],
      /not contiguous/,
      array(2, 0, 6, 2),
    );
  });

  it('take the shard of a Kubernetes indexed Job, with its count from --shard-count or RANKCHECK_SHARD_COUNT', () => {
    const r = runCliWith({ JOB_COMPLETION_INDEX: '39', RANKCHECK_SHARD_COUNT: '40' }, ...VERIFY, '--out', tmp());
    expect(r.code, r.stderr).toBe(0);
    expect(shardOf(r.stdout)).toEqual({ index: 40, count: 40 });
    const s = runCliWith({ JOB_COMPLETION_INDEX: '39' }, ...VERIFY, '--shard-count', '40', '--out', tmp());
    expect(shardOf(s.stdout)).toEqual({ index: 40, count: 40 });
    expectUsageError([...VERIFY, '--out', tmp()], /RANKCHECK_SHARD_COUNT/, { JOB_COMPLETION_INDEX: '0' });
    expectUsageError([...VERIFY, '--shard-count', '0', '--out', tmp()], /--shard-count/);
  });

  it('continue the report in --out when Slurm requeued the task or --resume-if-present asks, and only of the same run', () => {
    const dir = tmp();
    expect(runCliWith({}, ...VERIFY, '--shard', '40/40', '--out', dir).code).toBe(0);
    const requeued = runCliWith({ ...array(39, 0, 39), SLURM_RESTART_COUNT: '1' }, ...VERIFY, '--out', dir);
    expect(requeued.code, requeued.stderr).toBe(0);
    expect(requeued.stderr).toMatch(`continuing the report in ${dir} (0 units done)`);
    const asked = runCliWith({}, ...VERIFY, '--shard', '40/40', '--out', dir, '--resume-if-present');
    expect(asked.stderr).toMatch('continuing the report');
    expectUsageError(
      [...VERIFY, '--shard', '40/40', '--seed', '1', '--out', dir, '--resume-if-present'],
      /holds the report of another run \(seed 0, not 1\)/,
    );
    expectUsageError(
      [...VERIFY, '--shard', '39/40', '--out', dir, '--resume-if-present'],
      /another run \(shard 40\/40, not 39\/40\)/,
    );
    // Without either, the directory is started over, as before.
    expect(runCliWith({}, ...VERIFY, '--shard', '40/40', '--out', dir).stderr).not.toMatch('continuing');
  });

  it('continue a stability file in --out on --resume-if-present, of the same run only', () => {
    const dir = tmp();
    const args = ['stability', '--claim', 'theorem-5', '--seeds', '0-1', '--shard', '40/40', '--out', dir];
    expect(runCliWith({}, ...args).code).toBe(0);
    expect(runCliWith({}, ...args, '--resume-if-present').stderr).toMatch(`continuing the stability file in ${dir}`);
    expectUsageError(
      ['stability', '--claim', 'theorem-5', '--seeds', '0-2', '--shard', '40/40', '--out', dir, '--resume-if-present'],
      /another run \(seeds 0,1, not 0,1,2\)/,
    );
  });
});
