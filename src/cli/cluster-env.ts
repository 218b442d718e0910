/**
 * What a cluster scheduler tells a task through its environment, read here and nowhere below
 * src/cli: the shard of a Slurm array task or a Kubernetes indexed Job, the cores Slurm gave the
 * task, and whether Slurm restarted it. Each function takes the environment as a value, so that
 * the rules can be tested without touching process.env; every inconsistent value is bad input.
 */
import type { Shard } from '../session/shard-set.js';
import { UsageError } from './usage-error.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** A non-negative decimal integer from the environment, or bad input naming the variable. */
function envInteger(env: Env, name: string): number | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`${name} must be a non-negative integer (got "${text}")`);
  return Number(text.trim());
}

/** A Slurm variable an array task always has, or bad input naming it. */
function requiredSlurm(env: Env, name: string): number {
  const v = envInteger(env, name);
  if (v === undefined) throw new UsageError(`SLURM_ARRAY_TASK_ID is set but ${name} is not; give --shard i/n`);
  return v;
}

/**
 * The shard of a Slurm array task: task id − SLURM_ARRAY_TASK_MIN + 1 of SLURM_ARRAY_TASK_COUNT,
 * since arrays may start at 0 or 1; null outside an array. A stepped or gapped array
 * (--array=0-7:2, --array=1,3,5) has no such mapping and is refused.
 */
export function slurmArrayShard(env: Env): Shard | null {
  const id = envInteger(env, 'SLURM_ARRAY_TASK_ID');
  if (id === undefined || envInteger(env, 'SLURM_ARRAY_TASK_COUNT') === undefined) return null;
  const count = requiredSlurm(env, 'SLURM_ARRAY_TASK_COUNT');
  const min = requiredSlurm(env, 'SLURM_ARRAY_TASK_MIN');
  const max = requiredSlurm(env, 'SLURM_ARRAY_TASK_MAX');
  const step = envInteger(env, 'SLURM_ARRAY_TASK_STEP') ?? 1;
  if (step !== 1)
    throw new UsageError(
      `the Slurm array's indices are not contiguous (SLURM_ARRAY_TASK_STEP=${step}); submit --array=A-B without a step, or give --shard i/n`,
    );
  if (count !== max - min + 1)
    throw new UsageError(
      `the Slurm array's indices are not contiguous (${count} tasks between ${min} and ${max}); submit --array=A-B, or give --shard i/n`,
    );
  if (id < min || id > max) throw new UsageError(`SLURM_ARRAY_TASK_ID=${id} lies outside ${min}-${max}`);
  return { index: id - min + 1, count };
}

/**
 * The shard of a Kubernetes indexed Job's pod: JOB_COMPLETION_INDEX (0-based) + 1 of the count
 * given by --shard-count or RANKCHECK_SHARD_COUNT (Kubernetes does not pass the completions on);
 * null outside such a Job.
 */
export function indexedJobShard(env: Env, shardCount: number | undefined): Shard | null {
  const at = envInteger(env, 'JOB_COMPLETION_INDEX');
  if (at === undefined) return null;
  const count = shardCount ?? envInteger(env, 'RANKCHECK_SHARD_COUNT');
  if (count === undefined)
    throw new UsageError(
      'JOB_COMPLETION_INDEX is set but the shard count is not: give --shard-count N or set RANKCHECK_SHARD_COUNT',
    );
  if (count < 1) throw new UsageError(`the shard count must be at least 1 (got ${count})`);
  if (at >= count) throw new UsageError(`JOB_COMPLETION_INDEX=${at} needs a shard count above ${at} (got ${count})`);
  return { index: at + 1, count };
}

/**
 * The shard of this process: --shard when given (it wins over the environment), else that of a
 * Slurm array task, else that of a Kubernetes indexed Job, else none.
 */
export function resolveShard(given: Shard | null, env: Env, shardCount: number | undefined): Shard | null {
  if (given !== null) {
    if (shardCount !== undefined)
      throw new UsageError('--shard-count goes with JOB_COMPLETION_INDEX, not with --shard');
    return given;
  }
  const slurm = slurmArrayShard(env);
  if (slurm !== null) {
    if (shardCount !== undefined && shardCount !== slurm.count)
      throw new UsageError(`--shard-count ${shardCount} disagrees with SLURM_ARRAY_TASK_COUNT=${slurm.count}`);
    return slurm;
  }
  const indexed = indexedJobShard(env, shardCount);
  if (indexed === null && shardCount !== undefined)
    throw new UsageError(
      '--shard-count needs JOB_COMPLETION_INDEX (a Kubernetes indexed Job); elsewhere give --shard i/n',
    );
  return indexed;
}

/** The worker threads Slurm gave this task (SLURM_CPUS_PER_TASK), or undefined when it says nothing. */
export function slurmWorkers(env: Env): number | undefined {
  const cpus = envInteger(env, 'SLURM_CPUS_PER_TASK');
  if (cpus === 0) throw new UsageError('SLURM_CPUS_PER_TASK must be at least 1 (got 0)');
  return cpus;
}

/** Whether Slurm has restarted this job (a requeue after preemption or a node failure). */
export function slurmRequeued(env: Env): boolean {
  return (envInteger(env, 'SLURM_RESTART_COUNT') ?? 0) > 0;
}
