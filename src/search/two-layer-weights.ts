/**
 * Conjecture 6's two-layer attention apart from any trainer: its shape and weights, their
 * initialisation, the extended tokens [x_i; e_i], and exact float64 scoring. Each layer is the
 * single-layer model of attention-weights.ts on the extended tokens.
 */
import type { Rng } from '../core/rng.js';
import type { ContextDistribution } from '../core/sphere.js';
import { MultiHeadAttention } from '../model/attention.js';
import { squaredErrors } from '../model/monte-carlo.js';
import { nearestNeighbourIndex } from '../model/targets.js';
import { initialWeights, toFloat64Layer, type ExportedWeights } from './attention-weights.js';
import { nearestTask, type TrainConfig } from './train-config.js';

export interface TwoLayerShape {
  d: number;
  n: number;
  r: number;
  heads: number;
}

export interface TwoLayerWeights {
  shape: TwoLayerShape;
  layers: [ExportedWeights, ExportedWeights];
  /** Readout, (d + N) × d row-major. */
  readout: Float64Array;
}

/** Training settings as for one layer (train.ts), with the two-layer shape. */
export type TwoLayerTrainConfig = Omit<TrainConfig, 'shape' | 'task'> & { shape: TwoLayerShape };

/** Fresh weights: each layer as initialWeights on the extended tokens, the readout the projection on the point coordinates. */
export function initialTwoLayer(shape: TwoLayerShape, rng: Rng, initScale: number): TwoLayerWeights {
  const D = shape.d + shape.n;
  const layerShape = { d: D, r: shape.r, heads: shape.heads, n: shape.n, variant: 'plain' as const };
  const readout = new Float64Array(D * shape.d);
  for (let k = 0; k < shape.d; k++) readout[k * shape.d + k] = 1;
  return {
    shape,
    layers: [
      initialWeights(layerShape, rng.splitNamed('layer1'), initScale),
      initialWeights(layerShape, rng.splitNamed('layer2'), initScale),
    ],
    readout,
  };
}

/** Tokens [x_i; e_i] and the starting stream [y; 0] as float arrays. */
export function extend(
  X: Float64Array,
  Y: Float64Array,
  size: number,
  d: number,
  n: number,
): { T: Float64Array; Z: Float64Array } {
  const D = d + n;
  const T = new Float64Array(size * n * D);
  const Z = new Float64Array(size * D);
  for (let b = 0; b < size; b++) {
    Z.set(Y.subarray(b * d, (b + 1) * d), b * D);
    for (let i = 0; i < n; i++) {
      T.set(X.subarray((b * n + i) * d, (b * n + i + 1) * d), (b * n + i) * D);
      T[(b * n + i) * D + d + i] = 1;
    }
  }
  return { T, Z };
}

/** Float64 outputs (B×d) of trained two-layer weights, through the exact attention evaluator. */
export function evaluateTwoLayer(w: TwoLayerWeights, X: Float64Array, Y: Float64Array, size: number): Float64Array {
  const { d, n } = w.shape;
  const D = d + n;
  const layers: MultiHeadAttention[] = w.layers.map(toFloat64Layer);
  const { T, Z } = extend(X, Y, size, d, n);
  for (const layer of layers) {
    const o = layer.evaluate(T, Z, { size, n, m: 1 });
    for (let k = 0; k < Z.length; k++) Z[k] += o[k];
  }
  const out = new Float64Array(size * d);
  for (let b = 0; b < size; b++) {
    for (let c = 0; c < d; c++) {
      let s = 0;
      for (let k = 0; k < D; k++) s += Z[b * D + k] * w.readout[k * d + c];
      out[b * d + c] = s;
    }
  }
  return out;
}

/** Per-sample nearest-neighbour squared errors of trained two-layer weights on `size` fresh samples. */
export function twoLayerErrors(w: TwoLayerWeights, rng: Rng, dist: ContextDistribution, size: number): Float64Array {
  const { d, n } = w.shape;
  const s = nearestTask(dist, d, n).sample(rng, size);
  return squaredErrors(evaluateTwoLayer(w, s.X, s.Y, size), s.X, nearestNeighbourIndex(s.X, s.Y, { size, n, d }), {
    size,
    n,
    m: 1,
    d,
  });
}
