/**
 * Trained low-rank models on Theorem 3's target (Gaussian queries, the threshold-parity target,
 * score biases inside the softmax): their exact error on fresh samples and the value-matrix
 * size d·H·max_h ‖V_h‖² that Theorem 3's condition is about.
 */
import { EVD, Matrix } from 'ml-matrix';
import { Rng } from '../core/rng.js';
import { sampleGaussianQueryPairs } from '../core/sphere.js';
import { meanInterval, momentsOf } from '../core/stats.js';
import { thresholdParityIndex } from '../model/targets.js';
import { parityErrors, parityThresholds } from '../theory/parity-construction.js';
import { currentBackend, useBackend, type BackendName } from '../training/backend.js';
import { restartHyperparameters, type SearchConfig } from './search.js';
import { train, type TrainingTask } from './train.js';
import { toFloat64Layer, type ExportedWeights } from './trainable-attention.js';

/** Theorem 3's data and target as a training task. */
export function parityTask(d: number): TrainingTask {
  const tau = parityThresholds(d);
  return {
    sample(rng, size) {
      const b = sampleGaussianQueryPairs(rng, d, size);
      return { X: b.X, Y: b.Y, target: thresholdParityIndex(b.X, b.Y, size, d, tau) };
    },
  };
}

/** Largest singular value of a row-major d×d matrix (from the eigenvalues of VᵀV). */
export function spectralNorm(v: Float64Array, d: number): number {
  const m = new Matrix(d, d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) m.set(i, j, v[i * d + j]);
  const eig = new EVD(m.transpose().mmul(m), { assumeSymmetric: true }).realEigenvalues;
  return Math.sqrt(Math.max(0, ...eig));
}

/** d·H·max_h ‖V_h‖² of exported weights. */
export function valueNorm(w: ExportedWeights): number {
  const { d, heads } = w.shape;
  let max = 0;
  for (let h = 0; h < heads; h++) max = Math.max(max, spectralNorm(w.V.subarray(h * d * d, (h + 1) * d * d), d));
  return d * heads * max * max;
}

/** The search's settings that apply here: size, restarts, training length and scoring. */
export type ParityModelConfig = Pick<
  SearchConfig,
  'd' | 'r' | 'heads' | 'restarts' | 'steps' | 'batch' | 'evalSamples' | 'level' | 'seed'
>;

export interface ParityModel {
  d: number;
  r: number;
  heads: number;
  restart: number;
  error: number;
  ci: [number, number];
  valueNorm: number;
  trainLoss: number;
  milliseconds: number;
}

/** Trains `restarts` rank-r, H-head models with score biases (in this thread) and scores each exactly. */
export async function trainParityModels(
  c: ParityModelConfig,
): Promise<{ models: ParityModel[]; backend: BackendName }> {
  await useBackend();
  const models: ParityModel[] = [];
  for (let i = 0; i < c.restarts; i++) {
    const hp = restartHyperparameters(c.seed, i);
    const t = train({
      shape: { d: c.d, r: c.r, heads: c.heads, n: 2, variant: 'bias' },
      dist: 'ortho',
      task: parityTask(c.d),
      steps: c.steps,
      batch: c.batch,
      learningRate: hp.learningRate,
      initScale: hp.initScale,
      seed: hp.seed,
    });
    const errors = parityErrors(toFloat64Layer(t.weights), Rng.fromSeed(hp.seed).splitNamed('eval'), c.evalSamples);
    const m = momentsOf(errors);
    const ci = meanInterval(m, c.level, 'normal', { lowerLimit: 0 });
    models.push({
      d: c.d,
      r: c.r,
      heads: c.heads,
      restart: i,
      error: m.mean,
      ci: [ci.lo, ci.hi],
      valueNorm: valueNorm(t.weights),
      trainLoss: t.finalLoss,
      milliseconds: t.milliseconds,
    });
  }
  return { models, backend: currentBackend() ?? 'cpu' };
}
