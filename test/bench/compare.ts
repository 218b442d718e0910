/**
 * rankcheck against PyTorch on the same workloads, measured alternately: for every row and every
 * repetition, rankcheck runs for `--seconds`, then the PyTorch reference (scripts/reference/
 * bench_torch.py, a long-lived process answering one JSON line per request) runs for as long.
 * Each pair gives a throughput ratio rankcheck/PyTorch (> 1: rankcheck faster); a row reports the
 * medians of both throughputs and of the ratios, and the spread, the half-range of the ratios.
 *
 * Run with `npm run bench:compare` (`-- --json` for one JSON object on stdout, progress on
 * stderr; `--reps N`, `--seconds S`, `--quick` to skip the arcsin solve, `--only TEXT` to run the rows
 * whose description contains TEXT, `--verify` to print, once
 * per row where it applies, rankcheck's and PyTorch's value of the same quantity). The Python is
 * RANKCHECK_PYTHON, else the first of `python3`, `/usr/bin/python3` that imports torch; without
 * one, PyTorch's columns are null. RANKCHECK_EVALUATOR and RANKCHECK_BACKEND apply as in the CLI.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Command, InvalidArgumentError } from 'commander';
import { resolveNumerics } from '../../src/cli/numerics.js';
import { Rng } from '../../src/core/rng.js';
import { settingsForWorkers } from '../../src/core/thread-settings.js';
import type { ContextDistribution } from '../../src/core/sphere.js';
import { randomAttention } from '../../src/model/constructions.js';
import { estimateError, type ErrorTask } from '../../src/model/monte-carlo.js';
import { trainTfjs } from '../../src/search/train.js';
import { trainFused } from '../../src/search/train-fused.js';
import { trainTransformer } from '../../src/experiments/train.js';
import { float64Label } from '../../src/model/evaluator.js';
import { randomRank1Heads } from '../../src/theory/head-distributions.js';
import { optimalError } from '../../src/theory/arcsin-kernel.js';
import { useBackend } from '../../src/training/backend.js';
import type { FloatArray, FloatSpace } from '../../src/training/float-space.js';
import { inFloat32Space } from '../../src/training/float32-space.js';
import { preferredWasmThreads, preferWasmThreads } from '../../src/training/backend-state.js';
import { preferredTrainer, preferTrainer, type TrainerName } from '../../src/training/trainer-state.js';
import { paperTransformerSpec, quickTransformerSpec } from './paper-transformer.js';
import { heldOutAgreement } from './held-out-agreement.js';

// ---------------------------------------------------------------------------------------------
// Options

const positive = (kind: 'integer' | 'number') => (value: string) => {
  const x = Number(value);
  if (!(x > 0 && Number.isFinite(x)) || (kind === 'integer' && !Number.isInteger(x)))
    throw new InvalidArgumentError(`expected a positive ${kind}`);
  return x;
};

const options = new Command('bench:compare')
  .description('rankcheck vs PyTorch throughput on the same workloads, interleaved')
  .option('--json', 'print one JSON object on stdout (progress goes to stderr)', false)
  .option('--reps <n>', 'measurement pairs per row', positive('integer'), 5)
  .option('--seconds <s>', 'seconds per measurement', positive('number'), 1.5)
  .option('--quick', 'skip the slow arcsin-kernel row', false)
  .option('--verify', 'print rankcheck and PyTorch values of the same quantity once per row', false)
  .option('--only <text>', 'run only the rows whose description contains this text')
  .parse(process.argv)
  .opts<{ json: boolean; reps: number; seconds: number; quick: boolean; verify: boolean; only?: string }>();

// In --json mode stdout carries the result alone: anything logged on the way goes to stderr.
const stdoutWrite = (s: string) => process.stdout.write(s);
if (options.json) console.log = console.error;
const progress = (s: string) => process.stderr.write(`${s}\n`);

// ---------------------------------------------------------------------------------------------
// The PyTorch reference process

type Answer = Record<string, unknown>;

/** The Python that imports torch (RANKCHECK_PYTHON, else python3, else /usr/bin/python3), or why none does. */
function findPython(): { python: string } | { reason: string } {
  const env = process.env.RANKCHECK_PYTHON;
  const candidates = env ? [env] : ['python3', '/usr/bin/python3'];
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore', timeout: 60_000 });
    if (r.status === 0) return { python };
  }
  return {
    reason: env
      ? `RANKCHECK_PYTHON=${env} cannot import torch`
      : 'no python3 or /usr/bin/python3 that imports torch (apt-get install python3-torch libopenblas0-pthread)',
  };
}

class TorchReference {
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly waiting: { resolve: (a: Answer) => void; reject: (e: Error) => void }[] = [];
  private dead: string | null = null;

  constructor(python: string) {
    const script = fileURLToPath(new URL('../../../scripts/reference/bench_torch.py', import.meta.url));
    this.proc = spawn(python, [script], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    createInterface({ input: this.proc.stdout }).on('line', (line) => {
      const w = this.waiting.shift();
      if (!w) return;
      try {
        w.resolve(JSON.parse(line) as Answer);
      } catch {
        w.reject(new Error(`unreadable answer from the reference: ${line.slice(0, 80)}`));
      }
    });
    const fail = (why: string) => {
      this.dead ??= why;
      for (const w of this.waiting.splice(0)) w.reject(new Error(this.dead));
    };
    this.proc.on('exit', (code, signal) => fail(`the reference exited (${signal ?? `code ${code}`})`));
    this.proc.on('error', (e) => fail(`the reference could not run: ${e.message}`));
  }

  /** Sends one request; resolves with the answer, rejects with a one-line reason. */
  async request(req: Record<string, unknown>): Promise<Answer> {
    if (this.dead) throw new Error(this.dead);
    const answer = await new Promise<Answer>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.proc.stdin.write(`${JSON.stringify(req)}\n`);
    });
    if (typeof answer.failure === 'string') throw new Error(answer.failure);
    return answer;
  }

  /** A throughput from the reference (its own units per second). */
  async rate(work: string, seconds: number): Promise<number> {
    const { rate } = await this.request({ work, seconds });
    if (typeof rate !== 'number' || !(rate > 0)) throw new Error(`no valid rate for ${work}`);
    return rate;
  }

  close(): void {
    this.proc.stdin.end();
  }
}

const oneLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0];

// ---------------------------------------------------------------------------------------------
// Timing

/**
 * Units per second of run(count), calling it until `seconds` have passed (at least once), each
 * call sized from the running rate (starting from `guess`) to fill the remaining time.
 */
async function timeRate(
  run: (count: number) => unknown,
  seconds: number,
  guess: number,
  round: (count: number) => number,
): Promise<number> {
  const t0 = performance.now();
  let done = 0;
  let rate = guess;
  for (;;) {
    const remaining = seconds - (performance.now() - t0) / 1000;
    const count = round(rate * remaining);
    await run(count);
    done += count;
    const elapsed = (performance.now() - t0) / 1000;
    rate = done / elapsed;
    if (elapsed >= 0.9 * seconds) return rate;
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// ---------------------------------------------------------------------------------------------
// Workloads

interface Workload {
  work: string;
  unit: string;
  /** Measurement pairs (the arcsin row runs fewer). */
  reps: number;
  /** What runs rankcheck's side: tfjs (its backend is named), the float64 evaluator, or the fused trainer's kernels alone. */
  runs: 'tfjs' | 'float64' | 'fused-kernels';
  torchDtype: string;
  /** The reference's load request (kind and parameters). */
  load: () => Record<string, unknown>;
  /** rankcheck's throughput over about `seconds`. */
  measure: (seconds: number) => Promise<number>;
  /** --verify: rankcheck's and PyTorch's value of the same quantity, to stderr. */
  verify?: (torch: TorchReference) => Promise<void>;
  /** Releases what the row keeps between measurements (worker threads). */
  close?: () => Promise<void>;
}

const MC_CHUNK = 4096;
const roundChunks = (x: number) => Math.max(2, Math.round(x / MC_CHUNK)) * MC_CHUNK;

function monteCarlo(
  work: string,
  d: number,
  r: number,
  heads: number,
  n: number,
  dist: ContextDistribution,
  dtype: string,
): Workload {
  const layer = randomAttention(Rng.fromSeed(1), d, r, heads);
  const task: ErrorTask = { layer: layer.spec, target: { kind: 'nearest' }, dist, n };
  let rate = 50_000;
  let seed = 100;
  const load = () => ({
    kind: 'monte-carlo',
    dtype,
    d,
    r,
    n,
    dist,
    heads: layer.spec.heads.map((h) => ({ Q: Array.from(h.Q), K: Array.from(h.K), V: Array.from(h.V) })),
  });
  return {
    work,
    unit: 'samples/s',
    reps: options.reps,
    runs: 'float64',
    torchDtype: dtype,
    load,
    measure: async (seconds) => {
      rate = await timeRate(
        (samples) => estimateError(task, { samples, seed: seed++, workers: 2 }),
        seconds,
        rate,
        roundChunks,
      );
      return rate;
    },
    verify: async (torch) => {
      const samples = 200_000;
      const est = await estimateError(task, { samples, seed: 7, workers: 2 });
      const se = Math.sqrt(est.moments.m2 / (est.moments.count - 1) / est.moments.count);
      const ref = await torch.request({ op: 'check', work, samples });
      const [m, s] = [Number(ref.mean), Number(ref.se)];
      const z = (est.mean - m) / Math.hypot(se, s);
      progress(
        `verify ${work}: rankcheck mean error ${est.mean.toFixed(6)} ± ${se.toFixed(6)} (${samples} samples), ` +
          `PyTorch ${m.toFixed(6)} ± ${s.toFixed(6)} (${Number(ref.samples)}), same Q, K, V; z = ${z.toFixed(2)}`,
      );
    },
  };
}

/** The search's step by `trainer`. */
function searchTraining(trainer: TrainerName): Workload {
  const [d, r, heads, batch] = [32, 2, 16, 1024];
  const shape = { d, r, heads, n: 2, variant: 'plain' as const };
  const train = trainer === 'fused' ? trainFused : trainTfjs;
  let rate = 20;
  return {
    work: `search training step d=32 r=2 H=16 batch 1024, ${trainer} trainer`,
    unit: 'steps/s',
    reps: options.reps,
    runs: 'tfjs',
    torchDtype: 'float32',
    load: () => ({ kind: 'search-training', d, r, heads, n: 2, batch, dist: 'ortho', lr: 0.01 }),
    measure: async (seconds) => {
      rate = await timeRate(
        (steps) => train({ shape, dist: 'ortho', steps, batch, learningRate: 0.01, initScale: 1, seed: 1 }),
        seconds,
        rate,
        (x) => Math.max(2, Math.round(x)),
      );
      return rate;
    },
  };
}

/** What the paper-sized transformer rows share: the paper's layer, in float32 on both sides. */
const TRANSFORMER_ROW = {
  unit: 'steps/s',
  reps: options.reps,
  runs: 'tfjs' as const,
  torchDtype: 'float32',
  load: () => ({ kind: 'transformer-training', d: 64, n: 16, heads: 4, mlp: 2048, batch: 256, lr: 0.01 }),
};

/** The quick budget's full-rank model (quickTransformerSpec), in float32 on both sides. */
const QUICK_TRANSFORMER_ROW = {
  ...TRANSFORMER_ROW,
  load: () => ({ kind: 'transformer-training', d: 8, n: 8, heads: 1, mlp: 32, batch: 128, lr: 0.03 }),
};

/** One training in this process by `trainer`, of the paper's layer or of the quick budget's model. */
function transformerTraining(trainer: TrainerName, size: 'paper' | 'quick' = 'paper'): Workload {
  let rate = size === 'paper' ? 2 : 100;
  const spec = size === 'paper' ? paperTransformerSpec : quickTransformerSpec;
  return {
    ...(size === 'paper' ? TRANSFORMER_ROW : QUICK_TRANSFORMER_ROW),
    work:
      size === 'paper'
        ? `transformer step d=64 N=16 L=1 H=4 MLP 2048 batch 256, ${trainer} trainer`
        : `transformer step d=8 N=8 L=1 H=1 MLP 32 batch 128 (quick), ${trainer} trainer`,
    measure: async (seconds) => {
      rate = await timeRate(
        (steps) => trainTransformer(spec(steps, 1, trainer)),
        seconds,
        rate,
        (x) => Math.max(1, Math.round(x)),
      );
      return rate;
    },
  };
}

/**
 * The paper layer's first MLP product, x [4096, 64]·W1 [64, 2048] in float32, by the fused trainer's
 * kernel on `threads` threads (the split of its large products) against torch.matmul: the product
 * that, with its five siblings of the same size, is about nine tenths of the paper layer's step, so
 * this row is the ceiling of the transformer rows. Unit GFLOP/s (2·m·k·n per product).
 */
function mlpProduct(threads: number): Workload {
  const [m, k, n] = [4096, 64, 2048];
  let ws: { space: FloatSpace; a: FloatArray; b: FloatArray; out: FloatArray } | null = null;
  let rate = 20;
  const gflop = (2 * m * k * n) / 1e9;
  return {
    work: `MLP product [4096,64]·[64,2048] float32, fused kernel on ${threads} thread${threads > 1 ? 's' : ''}`,
    unit: 'GFLOP/s',
    reps: options.reps,
    runs: 'fused-kernels',
    torchDtype: 'float32',
    load: () => ({ kind: 'product', m, k, n }),
    measure: async (seconds) => {
      if (ws === null) {
        ws = inFloat32Space(
          (space) => ({ space, a: space.array(m * k), b: space.array(k * n), out: space.array(m * n) }),
          threads,
        );
        const rng = Rng.fromSeed(5);
        for (const x of [ws.a, ws.b]) for (let i = 0; i < x.length; i++) x[i] = rng.normal();
      }
      const w = ws;
      rate = await timeRate(
        (count) => {
          for (let i = 0; i < count; i++) w.space.product(w.a, w.b, w.out, m, k, n, false);
        },
        seconds,
        rate,
        (x) => Math.max(1, Math.round(x)),
      );
      return rate * gflop;
    },
    close: async () => {
      ws?.space.release();
      ws = null;
    },
  };
}

/** Resolves on the worker's next message (its 'ready' or 'done'), rejects on its error. */
const nextMessage = (w: Worker) =>
  new Promise<void>((resolve, reject) => {
    // The error listener goes with the message: one left per step would pile up on the worker.
    const fail = (e: Error) => reject(e);
    w.once('message', () => {
      w.off('error', fail);
      resolve();
    });
    w.once('error', fail);
  });

/** Has every worker train `steps` steps at once (seeds `seed`, `seed + 1`, …); resolves when all are done. */
const trainOnAll = (ws: Worker[], steps: number, seed: number) =>
  Promise.all(
    ws.map((w, i) => {
      const done = nextMessage(w);
      w.postMessage({ steps, seed: seed + i });
      return done;
    }),
  );

/**
 * Trainings on worker threads against PyTorch's one training on its two threads, steps of all
 * workers counted; their start-up (module and backend load, one warm-up step) is outside the
 * timing. Two workers with one wasm thread each: how the audit uses the two cores. One worker with
 * two wasm threads (RANKCHECK_WASM_THREADS=2: tfjs's pool, or the fused trainer's product helpers):
 * one training as fast as it goes. `trainer` trains, tfjs or fused.
 */
function transformerTrainingOnWorkers(count: number, wasmThreads: number, trainer: TrainerName = 'tfjs'): Workload {
  let workers: Worker[] | null = null;
  const start = async () => {
    const url = new URL('./transformer-worker.js', import.meta.url);
    const own = [preferredWasmThreads(), preferredTrainer()] as const;
    preferWasmThreads(wasmThreads);
    preferTrainer(trainer);
    const settings = settingsForWorkers();
    preferWasmThreads(own[0]);
    preferTrainer(own[1]);
    const ws = Array.from({ length: count }, () => new Worker(url, { workerData: settings }));
    await Promise.all(ws.map(nextMessage));
    await trainOnAll(ws, 1, 10);
    return ws;
  };
  let seed = 20;
  let rate = 4;
  return {
    ...TRANSFORMER_ROW,
    work:
      count === 1
        ? `transformer step d=64 N=16 L=1 H=4 MLP 2048 batch 256, one ${trainer} training on one worker, ${wasmThreads} wasm threads`
        : `transformer step d=64 N=16 L=1 H=4 MLP 2048 batch 256, ${count} ${trainer} trainings on ${count} workers (aggregate)`,
    measure: async (seconds) => {
      const ws = (workers ??= await start());
      rate = await timeRate(
        async (total) => {
          await trainOnAll(ws, total / ws.length, seed);
          seed += ws.length;
        },
        seconds,
        rate,
        (x) => count * Math.max(1, Math.round(x / count)),
      );
      return rate;
    },
    close: async () => {
      if (workers) await Promise.all(workers.map((w) => w.terminate()));
      workers = null;
    },
  };
}

function arcsinSolve(): Workload {
  const [H, d] = [4096, 64];
  const heads = randomRank1Heads(Rng.fromSeed(1), d, H, 'independent');
  const b = heldOutAgreement(heads, 2);
  let error = NaN;
  return {
    work: 'arcsin kernel + solve, H=4096',
    unit: 'solves/s',
    reps: Math.min(options.reps, 2),
    runs: 'float64',
    torchDtype: 'float64',
    load: () => ({ kind: 'arcsin', count: H, d, q: Array.from(heads.q), k: Array.from(heads.k), b: Array.from(b) }),
    // The default path for H = 4096: conjugate gradients on the packed kernel, built inside the solve.
    measure: (seconds) =>
      timeRate(
        (count) => {
          for (let i = 0; i < count; i++) error = optimalError(heads, b).error;
        },
        seconds,
        0.5,
        () => 1,
      ),
    verify: async (torch) => {
      if (Number.isNaN(error)) error = optimalError(heads, b).error;
      const ref = await torch.request({ op: 'check', work: 'arcsin kernel + solve, H=4096' });
      const e = Number(ref.error);
      progress(
        `verify arcsin kernel + solve, H=4096: rankcheck error 1 − bᵀC⁻¹b = ${error.toFixed(9)} (CG), ` +
          `PyTorch ${e.toFixed(9)} (dense solve), difference ${(error - e).toExponential(1)}`,
      );
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Main

interface Row {
  work: string;
  unit: string;
  rankcheck: number | null;
  pytorch: number | null;
  ratio: number | null;
  spread: number | null;
  /** tfjs backend of rankcheck's side, the float64 evaluator (float64-wasm-simd or float64-js) for rows that run no tfjs, or fused-trainer for the product rows. */
  backend: string;
  torchDtype: string | null;
  torchThreads: number | null;
  pairs: number;
}

resolveNumerics(process.env);
const backend = await useBackend();
const found = findPython();
let torch: TorchReference | null = null;
let torchThreads: number | null = null;
let torchVersion = '';
if ('python' in found) {
  torch = new TorchReference(found.python);
  try {
    const info = await torch.request({ op: 'info' });
    torchThreads = Number(info.threads);
    torchVersion = String(info.torch);
    progress(`PyTorch ${torchVersion} (${found.python}), ${torchThreads} threads; tfjs backend ${backend}`);
  } catch (e) {
    progress(`pytorch: ${oneLine(e)}; reporting rankcheck alone`);
    torch.close();
    torch = null;
  }
} else progress(`pytorch: ${found.reason}; reporting rankcheck alone`);

const workloads: Workload[] = [
  monteCarlo('Monte Carlo error, d=64 r=4 H=16 N=2 (float64)', 64, 4, 16, 2, 'ortho', 'float64'),
  monteCarlo('Monte Carlo error, d=64 r=4 H=16 N=2 (float32)', 64, 4, 16, 2, 'ortho', 'float32'),
  monteCarlo('Monte Carlo error, full rank d=64 N=16 unif', 64, 64, 1, 16, 'unif', 'float64'),
  searchTraining('tfjs'),
  searchTraining('fused'),
  transformerTraining('tfjs'),
  transformerTraining('fused'),
  transformerTrainingOnWorkers(2, 1),
  transformerTrainingOnWorkers(2, 1, 'fused'),
  transformerTraining('tfjs', 'quick'),
  transformerTraining('fused', 'quick'),
  // The threaded pool exists on the wasm backend only.
  ...(backend === 'wasm' ? [transformerTrainingOnWorkers(1, 2)] : []),
  transformerTrainingOnWorkers(1, 2, 'fused'),
  mlpProduct(1),
  mlpProduct(2),
  ...(options.quick ? [] : [arcsinSolve()]),
].filter((w) => options.only === undefined || w.work.includes(options.only));

const rows: Row[] = [];
for (const w of workloads) {
  progress(`${w.work}: ${w.reps} pairs of ${options.seconds} s`);
  let live = torch;
  const fail = (e: unknown) => {
    progress(`pytorch: ${w.work}: ${oneLine(e)}; its PyTorch figures are null`);
    live = null;
  };
  if (live) await live.request({ op: 'load', work: w.work, ...w.load() }).catch(fail);
  // Warm-up of both sides (JIT, tfjs kernels, allocator), also calibrating the call sizes.
  const warm = Math.min(options.seconds, 1) / 2;
  await w.measure(warm);
  if (live) await live.rate(w.work, warm).catch(fail);
  if (options.verify && w.verify && live)
    await w.verify(live).catch((e: unknown) => progress(`verify ${w.work}: failed (${oneLine(e)})`));
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let rep = 0; rep < w.reps; rep++) {
    ours.push(await w.measure(options.seconds));
    if (live) {
      const t: TorchReference = live;
      const rate = await t.rate(w.work, options.seconds).catch(fail);
      if (typeof rate === 'number') theirs.push(rate);
    }
    const last = (xs: number[]) => (xs.length > rep ? xs[rep].toPrecision(4) : '—');
    progress(`  pair ${rep + 1}: rankcheck ${last(ours)}, pytorch ${last(theirs)} ${w.unit}`);
  }
  await w.close?.();
  const paired = live !== null && theirs.length === ours.length;
  const ratios = paired ? ours.map((x, i) => x / theirs[i]) : [];
  const finite = (x: number) => (Number.isFinite(x) ? x : null);
  rows.push({
    work: w.work,
    unit: w.unit,
    rankcheck: finite(median(ours)),
    pytorch: paired ? finite(median(theirs)) : null,
    ratio: paired ? finite(median(ratios)) : null,
    spread: paired ? finite((Math.max(...ratios) - Math.min(...ratios)) / 2) : null,
    backend: w.runs === 'tfjs' ? backend : w.runs === 'float64' ? float64Label() : 'fused-trainer',
    torchDtype: paired ? w.torchDtype : null,
    torchThreads: paired ? torchThreads : null,
    pairs: ours.length,
  });
}
torch?.close();

if (options.json) stdoutWrite(`${JSON.stringify({ rows })}\n`);
else {
  const fmt = (x: number | null, digits: number) => (x === null ? '—' : x.toPrecision(digits));
  console.table(
    rows.map((r) => ({
      work: r.work,
      unit: r.unit,
      rankcheck: fmt(r.rankcheck, 4),
      pytorch: fmt(r.pytorch, 4),
      ratio: r.ratio === null ? '—' : `${r.ratio.toFixed(2)} ± ${(r.spread ?? 0).toFixed(2)}`,
      backend: r.backend,
      torch: r.torchDtype === null ? '—' : `${r.torchDtype}, ${r.torchThreads} threads`,
    })),
  );
  console.log(
    'ratio = rankcheck/PyTorch throughput, median over pairs (> 1: rankcheck faster); ± half the range of the pair ratios.',
  );
}
