/** Where a report came from: code version, machine, packages, seed and budget. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../core/package-root.js';
import { float64Label } from '../model/evaluator.js';
import type { Budget } from '../core/vocabulary.js';
import type { Provenance } from '../report/schema.js';

export { toolVersion } from '../core/package-root.js';

function git(args: string[]): string | null {
  const r = spawnSync('git', args, { cwd: packageRoot(), encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** Installed versions of rankcheck's runtime dependencies (absent optional ones are left out). */
function packageVersions(): Record<string, string> {
  const root = packageRoot();
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
  };
  const names = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})].sort();
  const out: Record<string, string> = {};
  for (const name of names) {
    const file = join(root, 'node_modules', name, 'package.json');
    if (existsSync(file)) out[name] = (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  }
  return out;
}

export interface ProvenanceInput {
  seed: number;
  budget: Budget;
  startedAt: Date;
  durationMs: number;
  shard: { index: number; count: number } | null;
}

/** The provenance block of a report. */
export function collectProvenance(p: ProvenanceInput): Provenance {
  const commit = git(['rev-parse', 'HEAD']);
  const status = commit === null ? null : git(['status', '--porcelain']);
  return {
    gitCommit: commit,
    dirty: status === null ? null : status.length > 0,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: availableParallelism(),
    backend: float64Label(),
    packages: packageVersions(),
    seed: p.seed,
    budget: p.budget,
    startedAt: p.startedAt.toISOString(),
    durationMs: Math.round(p.durationMs),
    shard: p.shard,
  };
}

/**
 * The provenance of a run `elapsedMs` into this session: a resumed run keeps its start, adds its
 * earlier duration, and its backend label names the units recorded before records carried theirs.
 */
export function sessionProvenance(
  run: { seed: number; budget: Budget; shard: { index: number; count: number } | null },
  resumed: Provenance | null,
): (elapsedMs: number) => Provenance {
  const priorMs = resumed?.durationMs ?? 0;
  const base = collectProvenance({
    ...run,
    startedAt: resumed ? new Date(resumed.startedAt) : new Date(),
    durationMs: 0,
  });
  const backend = resumed?.backend ?? base.backend;
  return (elapsedMs) => ({ ...base, backend, durationMs: Math.round(priorMs + elapsedMs) });
}
