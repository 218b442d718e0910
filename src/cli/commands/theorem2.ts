/** `rankcheck bound`, `rankcheck heads-needed`, `rankcheck construct rank1`, `rankcheck figure rank1-heads`. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { Rng } from '../../core/rng.js';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { fixed, formatNumber, render } from '../../core/format.js';
import type { Rank1Heads } from '../../theory/arcsin-kernel.js';
import { headsNeeded, rankLowerBound } from '../../theory/rank-bound.js';
import { estimateError } from '../../model/monte-carlo.js';
import { HEAD_DISTRIBUTIONS, randomRawHeads, type HeadDistribution } from '../../theory/head-distributions.js';
import { constructionError, rank1HardmaxLayer } from '../../theory/rank1-construction.js';
import { unitHeads, type RawHeads } from '../../theory/rank1-heads.js';
import { withInterrupt } from '../interrupt.js';
import { headGrid, rank1Figure, type Rank1FigureRow } from '../../theory/rank1-figure.js';
import { publishedComparison } from '../../theory/published-recipe.js';
import { headCount, integerIn, numberIn, oneOf, type HeadCount } from '../option-parsers.js';
import { precise, printResult } from '../print.js';
import { UsageError } from '../usage-error.js';

const RECIPES = ['exact', 'published'] as const;
/** The published recipe holds four dense H×H matrices: 4096 heads take 512 MB. */
const MAX_PUBLISHED_HEADS = 4096;

function checkRank(d: number, r: number): void {
  if (r > d) throw new UsageError(`--r must be ≤ --d (got --r ${r}, --d ${d})`);
}

export function registerTheorem2(program: Command): void {
  program
    .command('bound')
    .description('Theorem 2: the lower bound LB(d, r, H) on the D_2 error of any rank-r, H-head attention layer')
    .requiredOption('--d <D>', 'embedding dimension (3 ≤ D ≤ 4096)', integerIn(3, 4096))
    .requiredOption('--r <R>', 'rank of each head (1 ≤ R ≤ D)', integerIn(1, 4096))
    .requiredOption('--heads <H>', 'number of heads: an integer, or 1e300-style, any size', headCount)
    .option('--json', 'print one JSON object on stdout')
    .action((o: { d: number; r: number; heads: HeadCount; json?: boolean }) => {
      checkRank(o.d, o.r);
      const b = rankLowerBound(o.d, o.r, o.heads.log10);
      const out = {
        claim: 'theorem-2',
        d: o.d,
        r: o.r,
        heads: o.heads.exact ?? o.heads.text,
        log10Heads: Number.isFinite(o.heads.log10) ? o.heads.log10 : null,
        lowerBound: b.value,
        firstUncapturedDegree: b.firstUncapturedDegree,
      };
      printResult(out, o.json, () =>
        [
          `Theorem 2 bound, d = ${o.d}, rank r = ${o.r}, H = ${o.heads.text} heads:`,
          `  every such generalized attention layer has D_2 error ≥ ${precise(b.value)}  (trivial predictor: 0.5)`,
          b.firstUncapturedDegree === null
            ? b.lnFirstUncapturedDegree === null
              ? '  (every harmonic degree can be captured: the bound is 0)'
              : `  (harmonic degrees from ≈ 10^${formatNumber(b.lnFirstUncapturedDegree / Math.LN10, 6)} on are not fully captured)`
            : `  (harmonic degrees from k* = ${b.firstUncapturedDegree} on are not fully captured)`,
        ].join('\n'),
      );
    });

  program
    .command('heads-needed')
    .description('Theorem 2: the least number of rank-r heads the bound allows to reach D_2 error eps')
    .requiredOption('--d <D>', 'embedding dimension (3 ≤ D ≤ 4096)', integerIn(3, 4096))
    .requiredOption('--r <R>', 'rank of each head (1 ≤ R ≤ D)', integerIn(1, 4096))
    .requiredOption('--eps <E>', 'target error (0 < E < 0.5)', numberIn(0, 0.5, true))
    .option('--json', 'print one JSON object on stdout')
    .action((o: { d: number; r: number; eps: number; json?: boolean }) => {
      checkRank(o.d, o.r);
      if (o.eps >= 0.5)
        throw new UsageError(`--eps must be below 0.5, the error of the trivial predictor (got ${o.eps})`);
      const h = headsNeeded(o.d, o.r, o.eps);
      const out = {
        claim: 'theorem-2',
        d: o.d,
        r: o.r,
        eps: o.eps,
        log10MinHeads: h.log10MinHeads,
        minHeads: h.minHeads,
        lowerBoundAtMinHeads: h.lowerBoundAtMinHeads,
      };
      printResult(out, o.json, () =>
        [
          `Theorem 2, d = ${o.d}, rank r = ${o.r}: reaching D_2 error ${o.eps} needs at least`,
          `  H = ${h.minHeads ?? `10^${formatNumber(h.log10MinHeads, 8)}`} heads  (log10 H = ${formatNumber(h.log10MinHeads, 8)}; the bound there is ${precise(h.lowerBoundAtMinHeads)})`,
        ].join('\n'),
      );
    });

  const construct = program.command('construct').description('exact constructions');
  construct
    .command('rank1')
    .description('Theorem 2 from above: optimal weights and exact D_2 error of rank-1 hardmax heads')
    .option(
      '--heads-file <F>',
      'JSON {"d": D, "heads": [{"q": [...], "k": [...]}, ...]}; vectors of any nonzero length, used as given',
    )
    .option('--d <D>', 'dimension for random heads (2 ≤ D ≤ 4096)', integerIn(2, 4096))
    .option('--heads <H>', 'number of random heads (1 ≤ H ≤ 16384)', integerIn(1, 16384))
    .option('--seed <S>', 'seed for random heads', integerIn(0, Number.MAX_SAFE_INTEGER), 0)
    .option(
      '--distribution <DIST>',
      `random heads: ${HEAD_DISTRIBUTIONS.join(', ')} (paper: as the released script draws them)`,
      oneOf(...HEAD_DISTRIBUTIONS),
      'paper',
    )
    .option(
      '--recipe <R>',
      'exact (1 − bᵀC⁻¹b of the unit heads) or published (the released script’s computation, beside the exact one and each departure alone)',
      oneOf(...RECIPES),
      'exact',
    )
    .option(
      '--samples <M>',
      'published recipe: fresh D_2 samples that simulate the published weights (0: none)',
      integerIn(0, 1e9),
      100000,
    )
    .option('--json', 'print one JSON object on stdout')
    .action(
      async (o: {
        headsFile?: string;
        d?: number;
        heads?: number;
        seed: number;
        distribution: HeadDistribution;
        recipe: (typeof RECIPES)[number];
        samples: number;
        json?: boolean;
      }) => {
        let raw: RawHeads;
        if (o.headsFile !== undefined) {
          if (o.d !== undefined || o.heads !== undefined)
            throw new UsageError('give either --heads-file or --d with --heads, not both');
          raw = readHeadsFile(o.headsFile);
        } else {
          if (o.d === undefined || o.heads === undefined)
            throw new UsageError('construct rank1 needs --heads-file F, or --d D --heads H [--seed S]');
          raw = randomRawHeads(Rng.fromSeed(o.seed), o.d, o.heads, o.distribution);
        }
        const lowerBound = raw.d >= 2 ? rankLowerBound(raw.d, 1, Math.log10(raw.count)).value : null;
        if (o.recipe === 'published') await printPublished(raw, lowerBound, o.samples, o.seed, o.json);
        else printExact(unitHeads(raw), lowerBound, o.json);
      },
    );

  const figure = program.command('figure').description('data behind the paper’s figures');
  figure
    .command('rank1-heads')
    .description(
      "the paper's appendix figure: exact error of H random rank-1 hardmax heads against H, with LB(d, 1, H)",
    )
    .option('--d <LIST>', 'comma-separated dimensions', '8,16,32,64')
    .option('--max-heads <H>', 'largest head count (grid 1, 2, 4, …, H; ≤ 16384)', integerIn(1, 16384), 1024)
    .option('--trials <T>', 'independent draws of heads per dimension', integerIn(1, 100), 3)
    .option('--seed <S>', 'seed', integerIn(0, Number.MAX_SAFE_INTEGER), 0)
    .option(
      '--distribution <DIST>',
      `how heads are drawn: ${HEAD_DISTRIBUTIONS.join(', ')} (paper: as the released script draws them)`,
      oneOf(...HEAD_DISTRIBUTIONS),
      'paper',
    )
    .option('--out <FILE>', 'also write the rows as JSON to FILE (rewritten atomically after each dimension and trial)')
    .option('--json', 'print one JSON object on stdout')
    .action(
      (o: {
        d: string;
        maxHeads: number;
        trials: number;
        seed: number;
        distribution: HeadDistribution;
        out?: string;
        json?: boolean;
      }) => {
        const ds = o.d.split(',').map((s) => s.trim());
        if (ds.some((s) => !/^\d+$/.test(s) || Number(s) < 2 || Number(s) > 4096))
          throw new UsageError(`--d must list integers between 2 and 4096 (got "${o.d}")`);
        const dims = ds.map(Number);
        const meta = {
          claim: 'theorem-2',
          figure: 'rank1-heads',
          ds: dims,
          maxHeads: o.maxHeads,
          trials: o.trials,
          seed: o.seed,
          distribution: o.distribution,
        };
        const save = (rows: Rank1FigureRow[]) =>
          o.out &&
          writeFileAtomic(
            o.out,
            `${JSON.stringify({ ...meta, complete: rows.length === dims.length * o.trials * headGrid(o.maxHeads).length, rows })}\n`,
          );
        const rows = rank1Figure({
          ds: dims,
          maxHeads: o.maxHeads,
          trials: o.trials,
          seed: o.seed,
          distribution: o.distribution,
          onRows: save,
        });
        printResult({ ...meta, rows }, o.json, () => describeFigure(rows, dims, headGrid(o.maxHeads)));
      },
    );
}

const HeadsFileSchema = z.object({
  d: z.number().int().min(2).max(4096),
  heads: z
    .array(z.object({ q: z.array(z.number()), k: z.array(z.number()) }).strict())
    .min(1)
    .max(16384),
});

/** Reads and validates a heads file; every problem becomes one UsageError line. */
/** The heads of a --heads-file as given (any nonzero lengths); a usage error names what is wrong. */
function readHeadsFile(path: string): RawHeads {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`--heads-file: cannot read ${path}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--heads-file: ${path} is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const parsed = HeadsFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`--heads-file: ${issue.path.length ? issue.path.join('.') : 'top level'}: ${issue.message}`);
  }
  const { d, heads } = parsed.data;
  heads.forEach((h, i) => {
    if (h.q.length !== d || h.k.length !== d)
      throw new UsageError(
        `--heads-file: head ${i} has q of length ${h.q.length} and k of length ${h.k.length}, expected ${d}`,
      );
  });
  const raw: RawHeads = {
    d,
    count: heads.length,
    q: Float64Array.from(heads.flatMap((h) => h.q)),
    k: Float64Array.from(heads.flatMap((h) => h.k)),
  };
  try {
    unitHeads(raw); // zero or non-finite vectors are refused here, with the head named
  } catch (e) {
    throw new UsageError(`--heads-file: ${e instanceof Error ? e.message : String(e)}`);
  }
  return raw;
}

/** The exact recipe: optimal weights and 1 − bᵀC⁻¹b of the unit heads. */
function printExact(heads: Rank1Heads, lowerBound: number | null, json: boolean | undefined): void {
  const c = constructionError(heads);
  const out = {
    claim: 'theorem-2',
    recipe: 'exact',
    d: heads.d,
    heads: heads.count,
    optimalError: c.error,
    weights: Array.from(c.weights),
    agreement: Array.from(c.agreement),
    lowerBound,
    solver: { method: c.method, iterations: c.iterations, relativeResidual: c.relativeResidual },
  };
  printResult(out, json, () =>
    [
      `${heads.count} rank-1 hardmax heads in d = ${heads.d}, optimally weighted:`,
      `  exact D_2 error 1 − bᵀC⁻¹b   ${precise(c.error)}`,
      `  lower bound LB(d, 1, H)      ${precise(lowerBound ?? NaN)}`,
      `  solver                       ${c.method}, relative residual ${formatNumber(c.relativeResidual, 2)}`,
    ].join('\n'),
  );
}

/** Level of the simulation's interval around the published weights' true error. */
const SIMULATION_LEVEL = 0.999;

/**
 * The published recipe beside the exact error, with each departure's effect alone, and the
 * published weights run as hardmax heads on fresh D_2 samples: the measured check that
 * publishedWeightsTrueError, not publishedError, is what those weights do.
 */
async function printPublished(
  raw: RawHeads,
  lowerBound: number | null,
  samples: number,
  seed: number,
  json: boolean | undefined,
): Promise<void> {
  if (raw.count > MAX_PUBLISHED_HEADS)
    throw new UsageError(`--recipe published handles at most ${MAX_PUBLISHED_HEADS} heads (got ${raw.count})`);
  if (samples === 1) throw new UsageError('--samples must be 0 or at least 2');
  const c = publishedComparison(raw);
  let simulation = null;
  if (samples >= 2) {
    const layer = rank1HardmaxLayer(unitHeads(raw), c.publishedWeights);
    // Errors lie in [0, (1 + Σ|a_h|)²]: bounded, so the normal interval is sound at these sample sizes.
    const est = await withInterrupt(null, (signal) =>
      estimateError(
        { layer: layer.spec, target: { kind: 'nearest' }, dist: 'ortho', n: 2 },
        { samples, seed, level: SIMULATION_LEVEL, signal },
      ),
    );
    simulation = {
      samples: est.samples,
      mean: est.mean,
      ci: [est.interval.lo, est.interval.hi],
      level: SIMULATION_LEVEL,
      containsTrueError:
        est.interval.lo <= c.publishedWeightsTrueError && c.publishedWeightsTrueError <= est.interval.hi,
      containsPublishedError: est.interval.lo <= c.publishedError && c.publishedError <= est.interval.hi,
      complete: est.complete,
    };
    if (!est.complete) process.exitCode = 130;
  }
  const out = {
    claim: 'random-features',
    recipe: 'published',
    d: c.d,
    heads: c.heads,
    publishedError: c.publishedError,
    exactError: c.exactError,
    publishedWeightsTrueError: c.publishedWeightsTrueError,
    causes: c.causes,
    cgIterations: c.cgIterations,
    simulation,
    lowerBound,
  };
  printResult(out, json, () =>
    [
      `${c.heads} rank-1 hardmax heads in d = ${c.d}:`,
      `  published recipe 1 − 2aᵀb + aᵀCa        ${precise(c.publishedError)}   (CG: ${c.cgIterations} iterations)`,
      `  exact error 1 − bᵀC⁻¹b                  ${precise(c.exactError)}`,
      `  true error of the published weights     ${precise(c.publishedWeightsTrueError)}`,
      `  each departure alone:`,
      ...Object.entries(c.causes ?? {}).map(([k, v]) => `    ${k.padEnd(36)}${precise(v)}`),
      ...(simulation
        ? [
            `  published weights simulated on ${simulation.samples} D_2 samples: ${precise(simulation.mean)} [${precise(simulation.ci[0])}, ${precise(simulation.ci[1])}] (${simulation.level})`,
            `    contains the true error: ${simulation.containsTrueError ? 'yes' : 'no'}; contains the published number: ${simulation.containsPublishedError ? 'yes' : 'no'}`,
          ]
        : []),
      `  lower bound LB(d, 1, H)                 ${precise(lowerBound ?? NaN)}`,
    ].join('\n'),
  );
}

function describeFigure(rows: Rank1FigureRow[], ds: number[], grid: number[]): string {
  const lines = [
    'Random rank-1 hardmax heads, optimally weighted: exact D_2 error (mean over trials) / LB(d, 1, H)',
    '',
  ];
  lines.push(['H'.padStart(6), ...ds.map((d) => `d = ${d}`.padStart(20))].join(''));
  for (const H of grid) {
    const cells = ds.map((d) => {
      const rs = rows.filter((r) => r.d === d && r.heads === H);
      const mean = rs.reduce((s, r) => s + r.error, 0) / rs.length;
      return `${render(fixed(mean, 4))} / ${render(fixed(rs[0].lowerBound, 4))}`.padStart(20);
    });
    lines.push([String(H).padStart(6), ...cells].join(''));
  }
  return lines.join('\n');
}
