/**
 * Timings of the arcsin-kernel solves for random rank-1 heads (q, k uniform on S^{d−1}). The
 * agreement vector is that of one more random rank-1 head taken as the target, so the error
 * (of predicting that head's choice from the others) is a genuine one in [0, 1]. Run with
 * `npx tsc -p . && node dist/test/bench/arcsin-kernel.js` (≈ 10 minutes; `--quick` skips H = 16384).
 * `npm run bench:compare` measures H = 4096 against a dense PyTorch solve side by side.
 *
 * Each configuration runs once, in a fresh state as a caller would meet it: the times include
 * first touches of newly allocated memory, which cost ≈ 3 ms per MiB on the development VM
 * (≈ 0.4 s for a 4096² matrix), and JIT warm-up (small next to these sizes).
 */
import { Rng } from '../../src/core/rng.js';
import { randomRank1Heads } from '../../src/theory/head-distributions.js';
import {
  kernelMatrix,
  kernelMatrixParallel,
  optimalError,
  type OptimalError,
  type Rank1Heads,
  type SolveOptions,
} from '../../src/theory/arcsin-kernel.js';
import { heldOutAgreement } from './held-out-agreement.js';

const quick = process.argv.includes('--quick');

/** H heads with q, k independent and uniform on S^{d−1}. */
const randomHeads = (seed: number, d: number, H: number): Rank1Heads =>
  randomRank1Heads(Rng.fromSeed(seed), d, H, 'independent');

const rows: Record<string, string | number>[] = [];
const seconds = (ms: number) => (ms / 1000).toFixed(2);

function record(config: string, path: string, buildMs: number | null, solveMs: number, r: OptimalError): void {
  rows.push({
    config,
    path,
    'build s': buildMs === null ? '—' : seconds(buildMs),
    'solve s': seconds(solveMs),
    'total s': seconds((buildMs ?? 0) + solveMs),
    iterations: r.iterations,
    'rel. residual': r.relativeResidual.toExponential(1),
    error: r.error.toFixed(6),
  });
  console.log(JSON.stringify(rows[rows.length - 1]));
}

/** Dense kernel build (one thread, or two with `parallel`), then a solve that reuses it. */
async function dense(H: number, d: number, method: 'cholesky' | 'cg', parallel: boolean): Promise<void> {
  const heads = randomHeads(1, d, H);
  const b = heldOutAgreement(heads, 2);
  let t0 = performance.now();
  const C = parallel ? await kernelMatrixParallel(heads, { workers: 2 }) : kernelMatrix(heads);
  const buildMs = performance.now() - t0;
  t0 = performance.now();
  const r = optimalError(heads, b, { method, dense: C });
  const label = `${method === 'cholesky' ? 'Cholesky' : 'CG'} on kernelMatrix${parallel ? ' (built on 2 workers)' : ''}`;
  record(`H=${H}, d=${d}`, label, buildMs, performance.now() - t0, r);
}

/** A CG solve that builds whatever its operator needs itself (timed as one). */
function cg(H: number, d: number, operator: SolveOptions['operator']): void {
  const heads = randomHeads(1, d, H);
  const b = heldOutAgreement(heads, 2);
  const t0 = performance.now();
  const r = optimalError(heads, b, { method: 'cg', operator });
  record(`H=${H}, d=${d}`, `CG, ${r.operator} operator`, null, performance.now() - t0, r);
}

await dense(2048, 64, 'cholesky', false);
await dense(2048, 64, 'cholesky', true);
await dense(4096, 64, 'cholesky', false);
await dense(4096, 64, 'cg', true);
cg(4096, 64, 'packed');
for (const d of [8, 16, 32]) cg(4096, d, 'packed');
if (!quick) {
  cg(16384, 64, 'packed');
  cg(16384, 64, 'matrix-free');
}
console.table(rows);
