/**
 * Exported transformer weights as float64 arrays (row-major), the one currency between the tfjs
 * trainer and the exact float64 evaluator. Layouts: matrices [in, out] so that a row vector x maps
 * to x·W; the attention columns are grouped by head g = copy·H + h, each `rank` wide.
 */
import { scoreRank, type ScoreRanks } from '../model/score-rank.js';
import type { TransformerShape } from './shape.js';

export interface LayerWeights {
  /** [width, G·r] each, G = copies·heads. */
  Wq: Float64Array;
  Wk: Float64Array;
  Wv: Float64Array;
  /** [G·r, width]; the copies are averaged, i.e. the product is divided by `copies`. */
  Wo: Float64Array;
  /** ScaleNorm gains after attention and after the MLP. */
  g1: number;
  g2: number;
  /** [width, m], [m], [m, width], [width]. */
  W1: Float64Array;
  b1: Float64Array;
  W2: Float64Array;
  b2: Float64Array;
}

/** A layer's ten arrays in the order every trainer keeps them (Adam's state follows it). */
export const LAYER_ARRAY_ORDER = ['Wq', 'Wk', 'Wv', 'Wo', 'g1', 'g2', 'W1', 'b1', 'W2', 'b2'] as const;

/** A transformer's parts as any trainer holds them: each array (or variable) of type T. */
export interface TransformerParts<T> {
  embed: { W: T; b: T } | null;
  positions: T | null;
  layers: readonly Record<(typeof LAYER_ARRAY_ORDER)[number], T>[];
  readout: { W: T; b: T } | null;
}

/** The parts in the one order the trainers share: embedding, positions, each layer's ten arrays, readout. */
export function inTrainingOrder<T>(p: TransformerParts<T>): T[] {
  return [
    ...(p.embed ? [p.embed.W, p.embed.b] : []),
    ...(p.positions !== null ? [p.positions] : []),
    ...p.layers.flatMap((l) => LAYER_ARRAY_ORDER.map((k) => l[k])),
    ...(p.readout ? [p.readout.W, p.readout.b] : []),
  ];
}

export interface TransformerWeights {
  shape: TransformerShape;
  /** [inputDim, width] and [width] when shape.embed. */
  embed: { W: Float64Array; b: Float64Array } | null;
  /** [n, width] when shape.additivePositions; [n, appendedPositions] when positions are appended. */
  positions: Float64Array | null;
  layers: LayerWeights[];
  /** [width, outputDim] and [outputDim] when shape.outputDim !== null and the output is not a slice. */
  readout: { W: Float64Array; b: Float64Array } | null;
}

/** The numerical ranks of every head's score matrix Wq_g Wk_gᵀ over every layer, from the weights. */
export function transformerScoreRanks(w: TransformerWeights): ScoreRanks {
  const { width: W, rank: r } = w.shape;
  const G = w.shape.copies * w.shape.heads;
  const ranks: number[] = [];
  for (const { Wq, Wk } of w.layers)
    for (let g = 0; g < G; g++) {
      const column = (M: Float64Array) =>
        Float64Array.from({ length: W * r }, (_, i) => M[Math.floor(i / r) * G * r + g * r + (i % r)]);
      ranks.push(scoreRank(column(Wq), column(Wk), W, r));
    }
  return { min: Math.min(...ranks), max: Math.max(...ranks) };
}

/**
 * The bilinear score matrix Wq_g Wk_gᵀ (width × width, row-major) of head g of layer `layer`:
 * token j attends to token i with score x_jᵀ M x_i / √r (the paper's K Qᵀ up to transposition).
 */
export function scoreMatrix(w: TransformerWeights, layer: number, head: number): Float64Array {
  const { width: W, rank: r } = w.shape;
  const G = w.shape.copies * w.shape.heads;
  const { Wq, Wk } = w.layers[layer];
  const M = new Float64Array(W * W);
  for (let a = 0; a < W; a++)
    for (let b = 0; b < W; b++) {
      let s = 0;
      for (let k = 0; k < r; k++) s += Wq[a * G * r + head * r + k] * Wk[b * G * r + head * r + k];
      M[a * W + b] = s;
    }
  return M;
}
