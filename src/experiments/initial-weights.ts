/** The initialisation of a Section-7 transformer, drawn in float64 (no tfjs: both trainers start from it). */
import type { Rng } from '../core/rng.js';
import type { TransformerShape } from './shape.js';
import type { TransformerWeights } from './weights.js';

/**
 * Fresh parameters from `rng` (deterministic): every weight matrix N(0, 1/fan_in), biases 0,
 * ScaleNorm gains 1 (the inputs and the targets are unit vectors), positions as initialPositions,
 * a learned readout of a concatenated-position model starting as the projection onto the first outputDim
 * coordinates. The values are drawn in float64 by the project's own generator, so they do not
 * depend on the backend.
 */
export function initialWeights(shape: TransformerShape, rng: Rng): TransformerWeights {
  const { width: W, mlpWidth: m, rank: r } = shape;
  const G = shape.copies * shape.heads;
  const gauss = (len: number, sd: number) => {
    const a = new Float64Array(len);
    for (let i = 0; i < len; i++) a[i] = sd * rng.normal();
    return a;
  };
  const embed = shape.embed
    ? { W: gauss(shape.inputDim * W, 1 / Math.sqrt(shape.inputDim)), b: new Float64Array(W) }
    : null;
  const positions = initialPositions(shape, rng, gauss);
  const layers = Array.from({ length: shape.layers }, () => ({
    Wq: gauss(W * G * r, 1 / Math.sqrt(W)),
    Wk: gauss(W * G * r, 1 / Math.sqrt(W)),
    Wv: gauss(W * G * r, 1 / Math.sqrt(W)),
    Wo: gauss(G * r * W, 1 / Math.sqrt(shape.heads * r)),
    g1: 1,
    g2: 1,
    W1: gauss(W * m, 1 / Math.sqrt(W)),
    b1: new Float64Array(m),
    W2: gauss(m * W, 1 / Math.sqrt(m)),
    b2: new Float64Array(W),
  }));
  let readout = null;
  if (shape.outputDim !== null && !shape.sliceOutput) {
    const out = shape.outputDim;
    const Wr = shape.embed ? gauss(W * out, 1 / Math.sqrt(W)) : new Float64Array(W * out);
    if (!shape.embed) for (let k = 0; k < Math.min(W, out); k++) Wr[k * out + k] = 1;
    readout = { W: Wr, b: new Float64Array(out) };
  }
  return { shape, embed, positions, layers, readout };
}

/**
 * The positional parameters: an additive [n, width] table N(0, 0.01/width) ('small'; a tenth of a
 * unit token's scale, so that positions start as a perturbation) or N(−1, 1) ('released', the
 * authors' normal_(p, −1, 1)); appended [n, P] vectors uniform on [−1, 1] (the released code's).
 */
function initialPositions(
  shape: TransformerShape,
  rng: Rng,
  gauss: (len: number, sd: number) => Float64Array,
): Float64Array | null {
  const { n, width: W } = shape;
  if (shape.appendedPositions > 0)
    return Float64Array.from({ length: n * shape.appendedPositions }, () => 2 * rng.nextDouble() - 1);
  if (!shape.additivePositions) return null;
  if (shape.positionInit === 'small') return gauss(n * W, 0.1 / Math.sqrt(W));
  const p = gauss(n * W, 1);
  for (let k = 0; k < p.length; k++) p[k] -= 1;
  return p;
}
