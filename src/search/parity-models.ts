/**
 * Trained low-rank models on Theorem 3's target (Gaussian queries, the threshold-parity target,
 * score biases inside the softmax): their exact error on fresh samples and the value-matrix
 * size d·H·max_h ‖V_h‖² that Theorem 3's condition is about.
 */
import { EVD, Matrix } from 'ml-matrix';
import { Rng } from '../core/rng.js';
import type { ScoreRanks } from '../model/score-rank.js';
import { sampleGaussianQueryPairs } from '../core/sphere.js';
import { meanInterval, momentsOf } from '../core/stats.js';
import { thresholdParityIndex } from '../model/targets.js';
import { constructionBeta, parityErrors, parityThresholds } from '../theory/parity-construction.js';
import { currentBackend, useBackend, type BackendName } from '../training/backend.js';
import { restartHyperparameters, type SearchConfig } from './search.js';
import { train, type TrainingTask } from './train.js';
import { toFloat64Layer, weightsScoreRanks, type ExportedWeights } from './trainable-attention.js';

/** Theorem 3's data and target as a training task. */
export function parityTask(d: number): TrainingTask {
  const tau = parityThresholds(d);
  return {
    sample(rng, size) {
      const b = sampleGaussianQueryPairs(rng, d, size);
      return { X: b.X, Y: b.Y, target: thresholdParityIndex(b.X, b.Y, { size, d }, tau) };
    },
  };
}

/**
 * 1 ≤ r ≤ d; the full-rank construction (proofs-notes/theorem-3.md) as trainable 'bias' weights,
 * cut to rank r: Q_h = K_h = √β·[e_1 … e_r], so Q_hK_hᵀ = β·diag(1, …, 1, 0, …, 0), the best rank-r
 * approximation of β·I (every rank-r projection is equally near); bias (−βτ_j, 0), V_j = (−1)^j·I.
 * At r = d it is the construction itself.
 */
export function constructionStart(d: number, r: number): ExportedWeights {
  const tau = parityThresholds(d);
  const H = tau.length;
  const beta = constructionBeta(d);
  const Q = new Float64Array(H * d * r);
  const V = new Float64Array(H * d * d);
  const bias = new Float64Array(H * 2);
  for (let h = 0; h < H; h++) {
    for (let c = 0; c < r; c++) Q[h * d * r + c * r + c] = Math.sqrt(beta);
    for (let k = 0; k < d; k++) V[h * d * d + k * d + k] = h % 2 === 0 ? 1 : -1;
    bias[h * 2] = -beta * tau[h];
  }
  return { shape: { d, r, heads: H, n: 2, variant: 'bias' }, Q, K: Q.slice(), V, bias, positions: null };
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

/**
 * Fine-tuning from the construction runs at this share of the search's peak rate (3e-3 to 3e-2):
 * at d = 4, 300 steps from the construction itself ended at error 0.0191 at rate 3e-5 and 0.0194
 * at 3e-4, but 0.0216 at 3e-3 and 0.0448 at 3e-2 (above 1/40): minibatch noise at the full rate
 * blurs its 2d² + 1 sharp heads faster than the gradient sharpens them.
 */
export const FINE_TUNE_RATE = 1e-2;

/** The search's settings that apply here: size, restarts, training length and scoring (H = 2d² + 1, the construction's). */
export type ParityModelConfig = Pick<
  SearchConfig,
  'd' | 'r' | 'restarts' | 'steps' | 'batch' | 'evalSamples' | 'level' | 'seed'
>;

export interface ParityModel {
  d: number;
  r: number;
  heads: number;
  restart: number;
  error: number;
  ci: [number, number];
  valueNorm: number;
  /** The numerical ranks of the heads' Q_h K_hᵀ, read from the trained weights. */
  scoreRanks: ScoreRanks;
  trainLoss: number;
  milliseconds: number;
}

/**
 * Fine-tunes `restarts` rank-r models with score biases from constructionStart(d, r) (in this
 * thread), the search's restart hyper-parameters with its rate ×FINE_TUNE_RATE, and scores each
 * exactly.
 */
export async function trainParityModels(
  c: ParityModelConfig,
): Promise<{ models: ParityModel[]; backend: BackendName }> {
  await useBackend();
  const start = constructionStart(c.d, c.r);
  const models: ParityModel[] = [];
  for (let i = 0; i < c.restarts; i++) {
    const hp = restartHyperparameters(c.seed, i);
    const t = train({
      shape: start.shape,
      dist: 'ortho',
      task: parityTask(c.d),
      steps: c.steps,
      batch: c.batch,
      learningRate: hp.learningRate * FINE_TUNE_RATE,
      initScale: hp.initScale,
      seed: hp.seed,
      start,
    });
    const errors = parityErrors(toFloat64Layer(t.weights), Rng.fromSeed(hp.seed).splitNamed('eval'), c.evalSamples);
    const m = momentsOf(errors);
    const ci = meanInterval(m, c.level, 'normal', { lowerLimit: 0 });
    models.push({
      d: c.d,
      r: c.r,
      heads: start.shape.heads,
      restart: i,
      error: m.mean,
      ci: [ci.lo, ci.hi],
      valueNorm: valueNorm(t.weights),
      scoreRanks: weightsScoreRanks(t.weights),
      trainLoss: t.finalLoss,
      milliseconds: t.milliseconds,
    });
  }
  return { models, backend: currentBackend() ?? 'cpu' };
}
