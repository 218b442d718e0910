/**
 * Settings of the experiment grids and the statistics over their seeds (no tfjs). A setting is a
 * task, an architecture and a training recipe, trained once per seed; its result is the mean,
 * spread and interval of the exact evaluation MSE over the seeds, and the best seed.
 */
import { fixed, sci, text, type Template } from '../core/format.js';
import { studentInterval } from '../core/stats.js';
import type { ScoreRanks } from '../model/score-rank.js';
import type { ArchSpec, TaskSpec } from './tasks.js';
import { modelDim, positionDesign } from './tasks.js';

export interface Recipe {
  steps: number;
  batch: number;
  learningRate: number;
  /** Fresh sequences the float64 evaluation scores each trained model on. */
  evalSamples: number;
}

export interface Setting {
  task: TaskSpec;
  arch: ArchSpec;
  recipe: Recipe;
  /** Number of training seeds. */
  seeds: number;
}

/** One trained model's exact score. */
export interface SeedResult {
  seed: number;
  mse: number;
  /** 95% CLT interval of the evaluation (over fresh sequences). */
  ci: [number, number];
  finalLoss: number;
  seconds: number;
  /** Angle in degrees between each head's score matrix Wq Wkᵀ of layer 1 and −I, copy-major (c·H entries; learned-weights analysis). */
  headAngles: number[];
  /** The numerical ranks of every head's score matrix, every layer, read from the trained weights. */
  scoreRanks: ScoreRanks;
}

/** A setting over its seeds, in the CLI's JSON shape. */
export interface SettingResult {
  layers: number;
  copies: number;
  heads: number;
  rank: number;
  n: number;
  d: number;
  positional: string;
  task: TaskSpec['kind'];
  seeds: number;
  /** Over the seeds: mean, extremes, the interval of the mean (Student t, 95%) and the hull of the evaluation intervals. */
  mse: { mean: number; min: number; max: number; ci: [number, number]; hull: [number, number] };
  bestSeed: number;
  runs: SeedResult[];
}

/** The training seeds of a setting: root·1000 + 1 … root·1000 + count (so that every claim trains the same models). */
export function trainingSeeds(root: number, count: number): number[] {
  return Array.from({ length: count }, (_, k) => root * 1000 + k + 1);
}

/** The data seeds of a setting under the paper's seeding: root·1000 + 0 … root·1000 + count − 1 (the released code: 0 … 4). */
export function paperDataSeeds(root: number, count: number): number[] {
  return Array.from({ length: count }, (_, k) => root * 1000 + k);
}

/** A stable identifier of a setting (checkpoint file names, memo keys). */
export function settingKey(s: Setting): string {
  const t = s.task;
  const a = s.arch;
  const released = positionDesign(t) === 'released' ? '-released' : '';
  const task =
    t.kind === 'farthest' ? `fn-d${t.d}-n${t.n}-${t.positional}${released}` : `icl-p${t.p}-n${t.n}-w${a.width}`;
  const r = s.recipe;
  return `${task}_L${a.layers}-H${a.heads}-c${a.copies}-m${a.mlpWidth}_s${r.steps}-b${r.batch}-lr${r.learningRate}-e${r.evalSamples}_x${s.seeds}`;
}

/** What a reader needs to recognise the setting. */
export function settingLabel(s: Setting): string {
  const d = modelDim(s.task, s.arch);
  const design = positionDesign(s.task) === 'released' ? ' (released design)' : '';
  const pos =
    s.task.kind === 'farthest' && s.task.positional !== 'none' ? `, ${s.task.positional} positions${design}` : '';
  return `${s.task.kind === 'icl' ? 'ICL ' : ''}d = ${d}, N = ${s.task.n}, L = ${s.arch.layers}, c = ${s.arch.copies}, H = ${s.arch.heads} (rank ${d / s.arch.heads})${pos}`;
}

/** Level of a setting's interval over its seeds. */
export const SEED_LEVEL = 0.95;

/**
 * Combines the seeds of a setting. `ci` is the 95% Student-t interval of the mean MSE over the
 * seeds (training outcome and evaluation noise together, both of which vary with the seed); with
 * one seed, which no budget trains, it falls back to that model's evaluation interval. `hull` is
 * the hull of the seeds' evaluation intervals, the range every seed's MSE lies in.
 */
export function summariseSetting(s: Setting, runs: SeedResult[]): SettingResult {
  if (runs.length === 0) throw new RangeError('a setting needs at least one finished seed');
  const mses = runs.map((r) => r.mse);
  const best = runs.reduce((a, r) => (r.mse < a.mse ? r : a));
  const d = modelDim(s.task, s.arch);
  return {
    layers: s.arch.layers,
    copies: s.arch.copies,
    heads: s.arch.heads,
    rank: d / s.arch.heads,
    n: s.task.n,
    d,
    positional: s.task.kind === 'farthest' ? s.task.positional : 'none',
    task: s.task.kind,
    seeds: runs.length,
    mse: {
      mean: mses.reduce((a, b) => a + b, 0) / runs.length,
      min: Math.min(...mses),
      max: Math.max(...mses),
      ci: runs.length > 1 ? seedInterval(mses) : runs[0].ci,
      hull: [Math.min(...runs.map((r) => r.ci[0])), Math.max(...runs.map((r) => r.ci[1]))],
    },
    bestSeed: best.seed,
    runs,
  };
}

function seedInterval(mses: number[]): [number, number] {
  const iv = studentInterval(mses, SEED_LEVEL);
  return [Math.max(0, iv.lo), iv.hi];
}

/** An MSE: three decimals, or exponent form below 0.01. */
export const mse = (x: number) => (x >= 0.01 ? fixed(x, 3) : sci(x, 2));

/** "0.123 [0.120, 0.127] (4 seeds 0.121–0.125, best seed 1001)": mean, interval over seeds, spread. */
export function describeMse(r: SettingResult): Template {
  const spread =
    r.seeds > 1 ? text` (${r.seeds} seeds ${mse(r.mse.min)}–${mse(r.mse.max)}, best seed ${r.bestSeed})` : '';
  return text`${mse(r.mse.mean)} [${mse(r.mse.ci[0])}, ${mse(r.mse.ci[1])}]${spread}`;
}
