/**
 * The shape of a Section-7 transformer (no tfjs here, so that claims and the CLI can describe and
 * key runs without loading it). A post-norm encoder: L layers of [c averaged copies of H-head
 * attention, each head of rank r] + skip, ScaleNorm, [ReLU MLP of width w] + skip, ScaleNorm.
 */

/** How token positions enter: not at all, a learned [N, width] term added to the tokens, or one-hot coordinates appended. */
export type Positional = 'none' | 'additive' | 'concat';
export const POSITIONALS: readonly Positional[] = ['none', 'additive', 'concat'];

export interface TransformerShape {
  /** Width of the residual stream (d, or d + N with concatenated positions). */
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
  /** Learned linear readout [width, outputDim] (+ bias); null: the output is the final stream. */
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
    (s.outputDim !== null ? (s.width + 1) * s.outputDim : 0)
  );
}
