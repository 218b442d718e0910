/**
 * The shape of a Section-7 transformer (no tfjs here, so that claims and the CLI can describe and
 * key runs without loading it). A post-norm encoder: L layers of [c averaged copies of H-head
 * attention, each head of rank r] + skip, ScaleNorm, [ReLU MLP of width w] + skip, ScaleNorm.
 */

/** How token positions enter: not at all, a learned [N, width] term added to the tokens, or one-hot coordinates appended. */
export type Positional = 'none' | 'additive' | 'concat';

/**
 * How the positions of a farthest-neighbour model are built. 'one-hot': concatenated positions are
 * fixed one-hot coordinates (d + N wide) with a learned readout back to d, additive positions a
 * table drawn N(0, 0.01/width). 'released': the authors' released code (encoders.py) — concatenated
 * positions are learned 64-dimensional vectors drawn uniform on [−1, 1], appended to each token, so
 * the layers run in d + 64 at rank (d + 64)/H, and the output is the first d coordinates of the
 * stream (no readout); additive positions are a learned table drawn N(−1, 1).
 */
export type PositionDesign = 'one-hot' | 'released';

/** Dimension of the released code's learned appended positions (its positional sweep). */
export const RELEASED_POSITION_DIM = 64;

export interface TransformerShape {
  /** Width of the residual stream (d; d + N with one-hot concatenated positions, d + 64 with the released ones). */
  width: number;
  /** Tokens per sequence. */
  n: number;
  layers: number;
  /** Heads per attention copy. */
  heads: number;
  /** Rank of each head (query/key/value dimension per head). */
  rank: number;
  /** Parallel copies of the attention layer, averaged (params per layer ∝ c). */
  copies: number;
  /** Hidden width of the ReLU MLP. */
  mlpWidth: number;
  /** Size of each input token; equals width unless `embed`. */
  inputDim: number;
  /** Learned input embedding [inputDim, width] (+ bias); otherwise the tokens are the stream. */
  embed: boolean;
  /** Learned additive positional term [n, width]. */
  additivePositions: boolean;
  /** Width of learned positional vectors [n, P] appended to the input tokens (0: none); the stream is inputDim + P wide. */
  appendedPositions: number;
  /** How the positional parameters start: 'small' N(0, 0.01/width), or the released code's (additive N(−1, 1), appended U[−1, 1]). */
  positionInit: 'small' | 'released';
  /** The output is the first outputDim coordinates of the final stream (no readout parameters). */
  sliceOutput: boolean;
  /** Learned linear readout [width, outputDim] (+ bias), or a slice when sliceOutput; null: the output is the final stream. */
  outputDim: number | null;
}

/** Total trainable parameters of a shape (for reports: "params per layer ∝ c"). */
export function parameterCount(s: TransformerShape): number {
  const g = s.copies * s.heads * s.rank;
  const perLayer = 4 * s.width * g + 2 + 2 * s.width * s.mlpWidth + s.mlpWidth + s.width;
  return (
    s.layers * perLayer +
    (s.embed ? (s.inputDim + 1) * s.width : 0) +
    (s.additivePositions ? s.n * s.width : 0) +
    s.n * s.appendedPositions +
    (s.outputDim !== null && !s.sliceOutput ? (s.width + 1) * s.outputDim : 0)
  );
}
