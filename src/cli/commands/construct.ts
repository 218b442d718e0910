/** `rankcheck construct rank1`: Theorem 2 from above, the optimal weights and exact D_2 error of rank-1 hardmax heads. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { Rng } from '../../core/rng.js';
import { formatNumber } from '../../core/format.js';
import type { Rank1Heads } from '../../theory/arcsin-kernel.js';
import { rankLowerBound } from '../../theory/rank-bound.js';
import { estimateError } from '../../model/monte-carlo.js';
import { HEAD_DISTRIBUTIONS, randomRawHeads, type HeadDistribution } from '../../theory/head-distributions.js';
import { constructionError, rank1HardmaxLayer } from '../../theory/rank1-construction.js';
import { unitHeads, type RawHeads } from '../../theory/rank1-heads.js';
import { publishedComparison } from '../../theory/published-recipe.js';
import { withInterrupt } from '../interrupt.js';
import { integerIn, oneOf } from '../option-parsers.js';
import { precise, printResult } from '../print.js';
import { UsageError } from '../usage-error.js';

const RECIPES = ['exact', 'published'] as const;
/** The published recipe holds four dense H×H matrices: 4096 heads take 512 MB. */
const MAX_PUBLISHED_HEADS = 4096;

interface ConstructFlags {
  headsFile?: string;
  d?: number;
  heads?: number;
  seed: number;
  distribution: HeadDistribution;
  recipe: (typeof RECIPES)[number];
  samples: number;
  json?: boolean;
}

export function registerConstruct(program: Command): void {
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
    .action(constructRank1);
}

/** The action of `construct rank1`. */
async function constructRank1(o: ConstructFlags): Promise<void> {
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
}

const HeadsFileSchema = z.object({
  d: z.number().int().min(2).max(4096),
  heads: z
    .array(z.object({ q: z.array(z.number()), k: z.array(z.number()) }).strict())
    .min(1)
    .max(16384),
});

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
