import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** What the probe prints in a fresh process with RANKCHECK_WASM_THREADS=threads. */
function probe(threads: number): {
  backend: string;
  threads: number;
  transformer: string;
  search: string;
  stderr: string;
} {
  const r = spawnSync(process.execPath, ['dist/test/training/wasm-threads-probe.js'], {
    encoding: 'utf8',
    env: { ...process.env, RANKCHECK_WASM_THREADS: String(threads) },
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`probe exited with ${r.status}: ${r.stderr}`);
  return { ...JSON.parse(r.stdout.trim().split('\n').pop()!), stderr: r.stderr };
}

describe('the wasm backend with threads under Node', () => {
  const one = probe(1);
  const two = probe(2);

  it('RANKCHECK_WASM_THREADS=2 gives XNNPACK a pool of 2 threads (1 without it), quietly, and the process exits by itself', () => {
    expect([one.backend, two.backend]).toEqual(['wasm', 'wasm']);
    expect([one.threads, two.threads]).toEqual([1, 2]);
    expect(two.stderr).toBe('');
  });

  it('trains bit for bit the same transformer and search model on 2 threads as on 1', () => {
    // Exact equality: each output tile is summed by the same micro-kernel in the same order.
    expect(two.transformer).toBe(one.transformer);
    expect(two.search).toBe(one.search);
  });
});
