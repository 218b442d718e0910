/**
 * The exact float64 forward pass of the Section-7 transformer, from exported weights, in plain
 * TypeScript: what scores a trained model (never its own float32 training loss). Same function as
 * transformer.ts's forwardTransformer; test/experiments holds the two to each other.
 */
import { SCALE_NORM_EPSILON } from '../training/scale-norm.js';
import type { LayerWeights, TransformerWeights } from './weights.js';

/** out[N·p] = x[N·q]·W[q·p] (+ b), row-major. */
function affine(
  x: Float64Array,
  N: number,
  q: number,
  W: Float64Array,
  p: number,
  b: Float64Array | null,
): Float64Array {
  const out = new Float64Array(N * p);
  for (let t = 0; t < N; t++) {
    const o = t * p;
    if (b) for (let j = 0; j < p; j++) out[o + j] = b[j];
    for (let k = 0; k < q; k++) {
      const a = x[t * q + k];
      if (a === 0) continue;
      const w = k * p;
      for (let j = 0; j < p; j++) out[o + j] += a * W[w + j];
    }
  }
  return out;
}

/** x ← g·x/‖x‖ row by row (ScaleNorm), in place. */
function scaleNormRows(x: Float64Array, N: number, W: number, g: number): void {
  for (let t = 0; t < N; t++) {
    let s = 0;
    for (let k = 0; k < W; k++) s += x[t * W + k] * x[t * W + k];
    const f = g / Math.sqrt(s + SCALE_NORM_EPSILON);
    for (let k = 0; k < W; k++) x[t * W + k] *= f;
  }
}

function layer(
  l: LayerWeights,
  x: Float64Array,
  N: number,
  W: number,
  G: number,
  r: number,
  copies: number,
  m: number,
): Float64Array {
  const D = G * r;
  const q = affine(x, N, W, l.Wq, D, null);
  const k = affine(x, N, W, l.Wk, D, null);
  const v = affine(x, N, W, l.Wv, D, null);
  const z = new Float64Array(N * D);
  const scores = new Float64Array(N);
  const scale = 1 / Math.sqrt(r);
  for (let g = 0; g < G; g++) {
    const o = g * r;
    for (let j = 0; j < N; j++) {
      let max = -Infinity;
      for (let i = 0; i < N; i++) {
        let s = 0;
        for (let c = 0; c < r; c++) s += q[j * D + o + c] * k[i * D + o + c];
        scores[i] = s * scale;
        if (scores[i] > max) max = scores[i];
      }
      let total = 0;
      for (let i = 0; i < N; i++) {
        scores[i] = Math.exp(scores[i] - max);
        total += scores[i];
      }
      for (let i = 0; i < N; i++) {
        const a = scores[i] / total;
        for (let c = 0; c < r; c++) z[j * D + o + c] += a * v[i * D + o + c];
      }
    }
  }
  const att = affine(z, N, D, l.Wo, W, null);
  const h = new Float64Array(N * W);
  for (let t = 0; t < N * W; t++) h[t] = x[t] + att[t] / copies;
  scaleNormRows(h, N, W, l.g1);
  const hidden = affine(h, N, W, l.W1, m, l.b1);
  for (let t = 0; t < hidden.length; t++) if (hidden[t] < 0) hidden[t] = 0;
  const out = affine(hidden, N, m, l.W2, W, l.b2);
  for (let t = 0; t < N * W; t++) out[t] += h[t];
  scaleNormRows(out, N, W, l.g2);
  return out;
}

/** Outputs [N·outputDim] (or [N·width]) of one sequence of tokens [N·inputDim]. */
export function forwardSequence(w: TransformerWeights, tokens: Float64Array, offset = 0): Float64Array {
  const s = w.shape;
  const N = s.n;
  const W = s.width;
  const input = tokens.subarray(offset, offset + N * s.inputDim) as Float64Array;
  let x: Float64Array;
  if (w.embed) x = affine(input, N, s.inputDim, w.embed.W, W, w.embed.b);
  else if (s.appendedPositions > 0) x = appendRows(input, w.positions!, N, s.inputDim, s.appendedPositions);
  else x = Float64Array.from(input);
  if (w.positions && s.additivePositions) for (let t = 0; t < N * W; t++) x[t] += w.positions[t];
  for (const l of w.layers) x = layer(l, x, N, W, s.copies * s.heads, s.rank, s.copies, s.mlpWidth);
  if (s.outputDim !== null && s.sliceOutput) return sliceRows(x, N, W, s.outputDim);
  if (w.readout && s.outputDim !== null) x = affine(x, N, W, w.readout.W, s.outputDim, w.readout.b);
  return x;
}

/** Row t of the result is [a_t, b_t] (a [N·p], b [N·q]). */
function appendRows(a: Float64Array, b: Float64Array, N: number, p: number, q: number): Float64Array {
  const out = new Float64Array(N * (p + q));
  for (let t = 0; t < N; t++) {
    out.set(a.subarray(t * p, (t + 1) * p), t * (p + q));
    out.set(b.subarray(t * q, (t + 1) * q), t * (p + q) + p);
  }
  return out;
}

/** The first k coordinates of each of the N rows of x [N·W]. */
function sliceRows(x: Float64Array, N: number, W: number, k: number): Float64Array {
  const out = new Float64Array(N * k);
  for (let t = 0; t < N; t++) out.set(x.subarray(t * W, t * W + k), t * k);
  return out;
}
