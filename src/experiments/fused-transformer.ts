/**
 * The Section-7 transformer's batch loss and its gradient by hand-written backpropagation over flat
 * arrays (no tfjs): the same function as transformer.ts's forwardTransformer and train.ts's
 * batchLoss, one pass forward and one back, with every buffer allocated once per (shape, batch
 * size). In a float32 space its products run in WebAssembly SIMD (the fused trainer, train-fused.ts);
 * in the float64 space, by loops (the reference that central differences test). A tfjs step of the
 * audit's small models launches ~370 kernels and is bound by their launches, not by arithmetic.
 */
import { attentionScratch, type FloatArray, type FloatSpace, type Heads } from '../training/float-space.js';
import type { TransformerShape } from './shape.js';
import { inTrainingOrder, type TransformerWeights } from './weights.js';

/** One layer's parameters (or their gradients) as flat arrays; the gains are 1-element arrays. */
interface LayerParams {
  Wq: FloatArray;
  Wk: FloatArray;
  Wv: FloatArray;
  Wo: FloatArray;
  g1: FloatArray;
  g2: FloatArray;
  W1: FloatArray;
  b1: FloatArray;
  W2: FloatArray;
  b2: FloatArray;
}

/** A model's parameters (or gradients) in the layout of weights.ts. */
interface Params {
  embedW: FloatArray | null;
  embedB: FloatArray | null;
  positions: FloatArray | null;
  layers: LayerParams[];
  readoutW: FloatArray | null;
  readoutB: FloatArray | null;
}

/** What one layer's backward pass needs from its forward pass, for every token of the batch. */
interface LayerCache {
  /** Queries, keys, values [T, D] (D = G·r). */
  q: FloatArray;
  k: FloatArray;
  v: FloatArray;
  /** Attention weights [B, G, N (query), N (key)]. */
  A: FloatArray;
  /** Attention output before Wo [T, D]. */
  z: FloatArray;
  /** (x + attention)/‖·‖ and 1/‖·‖ per token: the first ScaleNorm's direction and scale. */
  uHat: FloatArray;
  uInv: FloatArray;
  /** The first ScaleNorm's output [T, W]. */
  h: FloatArray;
  /** MLP pre-activation and ReLU output [T, m]. */
  pre: FloatArray;
  hidden: FloatArray;
  /** The second ScaleNorm's direction and scale; its output is the next layer's input. */
  yHat: FloatArray;
  yInv: FloatArray;
  out: FloatArray;
}

/** The arrays of a shape's parameters (or gradients), allocated in `space`. */
function paramsOf(s: TransformerShape, space: FloatSpace): Params {
  const a = (n: number) => space.array(n);
  const D = s.copies * s.heads * s.rank;
  const W = s.width;
  const m = s.mlpWidth;
  const readout = s.outputDim !== null && !s.sliceOutput;
  return {
    embedW: s.embed ? a(s.inputDim * W) : null,
    embedB: s.embed ? a(W) : null,
    positions: s.appendedPositions > 0 ? a(s.n * s.appendedPositions) : s.additivePositions ? a(s.n * W) : null,
    layers: Array.from({ length: s.layers }, () => ({
      Wq: a(W * D),
      Wk: a(W * D),
      Wv: a(W * D),
      Wo: a(D * W),
      g1: a(1),
      g2: a(1),
      W1: a(W * m),
      b1: a(m),
      W2: a(m * W),
      b2: a(W),
    })),
    readoutW: readout ? a(W * s.outputDim!) : null,
    readoutB: readout ? a(s.outputDim!) : null,
  };
}

/** Every array of `p` in the trainers' shared order (inTrainingOrder, which Adam follows). */
function flatten(p: Params): FloatArray[] {
  return inTrainingOrder({
    embed: p.embedW && p.embedB ? { W: p.embedW, b: p.embedB } : null,
    positions: p.positions,
    layers: p.layers,
    readout: p.readoutW && p.readoutB ? { W: p.readoutW, b: p.readoutB } : null,
  });
}

/** The arrays of exported weights in flatten's order (gains as 1-element arrays). */
function weightArrays(w: TransformerWeights): Float64Array[] {
  const layers = w.layers.map((l) => ({ ...l, g1: Float64Array.of(l.g1), g2: Float64Array.of(l.g2) }));
  return inTrainingOrder({ ...w, layers });
}

/** out[n·k] = Wᵀ for W [k·n] (row-major). */
function transposeInto(W: FloatArray, k: number, n: number, out: FloatArray): void {
  for (let i = 0; i < k; i++) for (let j = 0; j < n; j++) out[j * k + i] = W[i * n + j];
}

/**
 * A transformer being trained: its parameters, their gradients and the workspace of one batch
 * size, all in one FloatSpace. `lossAndGradient` overwrites the gradients; the parameters change
 * only through the arrays `parameters()` returns (the optimiser updates them in place).
 */
export class FusedTransformer {
  private readonly params: Params;
  private readonly grads: Params;
  private readonly T: number;
  private readonly caches: LayerCache[];
  /** The batch's tokens [T, inputDim] and targets [scored, outputWidth]. */
  readonly tokens: FloatArray;
  readonly targets: FloatArray;
  private readonly stream0: FloatArray;
  private readonly output: FloatArray;
  private readonly dStream: FloatArray;
  private readonly dOutput: FloatArray;
  private readonly dQ: FloatArray;
  private readonly dK: FloatArray;
  private readonly dV: FloatArray;
  private readonly dZ: FloatArray;
  private readonly dHidden: FloatArray;
  private readonly dH: FloatArray;
  /** The attention kernels' scratch. */
  private readonly scratch: FloatArray;
  /** Stream width W, D = G·r, MLP width m, copies c. */
  private readonly sizes: { W: number; D: number; m: number; copies: number };
  /** The heads of a batch, as the attention kernels take them. */
  private readonly heads: Heads;
  /** A transposed weight for dx = dy·Wᵀ. */
  private readonly weightT: FloatArray;

  /**
   * Allocates (and only allocates: see inFloat32Space) a model of `shape` for batches of `batch`
   * sequences scored at 'all' tokens or the 'last' of each; load weights with `load`.
   */
  constructor(
    readonly shape: TransformerShape,
    readonly batch: number,
    readonly scored: 'all' | 'last',
    private readonly space: FloatSpace,
  ) {
    const s = shape;
    const a = (n: number) => space.array(n);
    this.params = paramsOf(s, space);
    this.grads = paramsOf(s, space);
    const T = batch * s.n;
    this.T = T;
    const W = s.width;
    const D = s.copies * s.heads * s.rank;
    const m = s.mlpWidth;
    this.caches = Array.from({ length: s.layers }, () => ({
      q: a(T * D),
      k: a(T * D),
      v: a(T * D),
      A: a(batch * s.copies * s.heads * s.n * s.n),
      z: a(T * D),
      uHat: a(T * W),
      uInv: a(T),
      h: a(T * W),
      pre: a(T * m),
      hidden: a(T * m),
      yHat: a(T * W),
      yInv: a(T),
      out: a(T * W),
    }));
    const outW = this.outputWidth();
    this.tokens = a(T * s.inputDim);
    this.targets = a((scored === 'all' ? T : batch) * outW);
    this.stream0 = a(T * W);
    this.output = a(T * outW);
    this.dOutput = a(T * outW);
    this.dStream = a(T * W);
    this.dQ = a(T * D);
    this.dK = a(T * D);
    this.dV = a(T * D);
    this.dZ = a(T * D);
    this.dHidden = a(T * m);
    this.dH = a(T * W);
    this.scratch = a(attentionScratch(s.n, s.rank));
    this.sizes = { W, D, m, copies: s.copies };
    const G = s.copies * s.heads;
    this.heads = { B: batch, G, N: s.n, r: s.rank, D, scale: 1 / Math.sqrt(s.rank) };
    this.weightT = a(W * Math.max(D, m, outW));
  }

  /** Width of each token's output: outputDim with a readout or a slice, else the stream width. */
  private outputWidth(): number {
    const s = this.shape;
    return s.outputDim !== null ? s.outputDim : s.width;
  }

  /** Sets the parameters to `w` (of this shape), rounded to the space's precision. */
  load(w: TransformerWeights): void {
    const src = weightArrays(w);
    flatten(this.params).forEach((p, i) => p.set(src[i]));
  }

  /** Stops its space's helper threads (see FloatSpace.release). */
  release(): void {
    this.space.release();
  }

  /** The parameter arrays, in the order of `gradients()`. */
  parameters(): FloatArray[] {
    return flatten(this.params);
  }

  /** The gradient arrays of the last `lossAndGradient`, in the order of `parameters()`. */
  gradients(): FloatArray[] {
    return flatten(this.grads);
  }

  /** The current parameters as exported (float64) weights. */
  weights(): TransformerWeights {
    const p = this.params;
    const c = (x: FloatArray) => Float64Array.from(x);
    return {
      shape: this.shape,
      embed: p.embedW && p.embedB ? { W: c(p.embedW), b: c(p.embedB) } : null,
      positions: p.positions ? c(p.positions) : null,
      layers: p.layers.map((l) => ({
        Wq: c(l.Wq),
        Wk: c(l.Wk),
        Wv: c(l.Wv),
        Wo: c(l.Wo),
        g1: l.g1[0],
        g2: l.g2[0],
        W1: c(l.W1),
        b1: c(l.b1),
        W2: c(l.W2),
        b2: c(l.b2),
      })),
      readout: p.readoutW && p.readoutB ? { W: c(p.readoutW), b: c(p.readoutB) } : null,
    };
  }

  /**
   * The batch loss of `tokens` against `targets` (as set by the caller): the mean over scored tokens
   * of ‖output − target‖², accumulated in float64. Fills the gradients.
   */
  lossAndGradient(): number {
    const x = this.forward();
    const N = this.shape.n;
    const p = this.outputWidth();
    const count = this.scored === 'all' ? this.T : this.batch;
    const dOut = this.dOutput;
    const targets = this.targets;
    dOut.fill(0);
    // The scored tokens are t = stride − 1, 2·stride − 1, …, stepped to directly rather than tested
    // token by token; same terms in the same order.
    const stride = this.scored === 'last' ? N : 1;
    const T = this.T;
    let loss = 0;
    for (let t = stride - 1, row = 0; t < T; t += stride, row++) {
      const o = t * p;
      const r = row * p;
      for (let c = 0; c < p; c++) {
        const e = x[o + c] - targets[r + c];
        loss += e * e;
        dOut[o + c] = (2 * e) / count;
      }
    }
    this.backward();
    return loss / count;
  }

  /** x·W (+ b) into out, for x [rows, k] and W [k, n]. */
  private affine(
    x: FloatArray,
    rows: number,
    k: number,
    W: FloatArray,
    n: number,
    b: FloatArray | null,
    out: FloatArray,
  ) {
    this.space.product(x, W, out, rows, k, n, false);
    if (b) this.space.addRows(out, b, rows, n);
  }

  /** dx [rows, k] (+)= dy [rows, n]·Wᵀ for W [k, n]; overwrites dx unless `accumulate`. */
  private backThrough(
    dy: FloatArray,
    rows: number,
    n: number,
    W: FloatArray,
    k: number,
    dx: FloatArray,
    accumulate: boolean,
  ) {
    transposeInto(W, k, n, this.weightT);
    this.space.product(dy, this.weightT, dx, rows, n, k, accumulate);
  }

  /** Outputs [T·outputWidth] of the batch; keeps every layer's cache for `backward`. */
  private forward(): FloatArray {
    const s = this.shape;
    const p = this.params;
    const { T, tokens } = this;
    const W = s.width;
    const N = s.n;
    let x = this.stream0;
    if (p.embedW) this.affine(tokens, T, s.inputDim, p.embedW, W, p.embedB, x);
    else if (s.appendedPositions > 0) {
      const P = s.appendedPositions;
      const d = s.inputDim;
      for (let t = 0; t < T; t++) {
        for (let c = 0; c < d; c++) x[t * W + c] = tokens[t * d + c];
        for (let c = 0; c < P; c++) x[t * W + d + c] = p.positions![(t % N) * P + c];
      }
    } else x.set(tokens);
    if (p.positions && s.additivePositions)
      for (let t = 0; t < T; t++) for (let c = 0; c < W; c++) x[t * W + c] += p.positions[(t % N) * W + c];
    p.layers.forEach((l, i) => {
      this.layerForward(l, this.caches[i], x);
      x = this.caches[i].out;
    });
    const outW = this.outputWidth();
    if (s.sliceOutput && s.outputDim !== null)
      for (let t = 0; t < T; t++) for (let c = 0; c < outW; c++) this.output[t * outW + c] = x[t * W + c];
    else if (p.readoutW) this.affine(x, T, W, p.readoutW, outW, p.readoutB, this.output);
    else this.output.set(x);
    return this.output;
  }

  private layerForward(l: LayerParams, c: LayerCache, x: FloatArray): void {
    const { T, heads } = this;
    const { W, D, m, copies } = this.sizes;
    this.affine(x, T, W, l.Wq, D, null, c.q);
    this.affine(x, T, W, l.Wk, D, null, c.k);
    this.affine(x, T, W, l.Wv, D, null, c.v);
    this.space.attention(c.q, c.k, c.v, c.A, c.z, this.scratch, heads);
    const z = c.z;
    // h's input u = x + (z·Wo)/copies, built in h before normalising.
    this.affine(z, T, D, l.Wo, W, null, c.h);
    const space = this.space;
    space.addScaled(c.h, x, c.h, 1 / copies, T * W);
    space.scaleNorm(c.h, T, W, l.g1[0], c.uHat, c.uInv, c.h);
    this.affine(c.h, T, W, l.W1, m, l.b1, c.pre);
    space.relu(c.pre, c.hidden, T * m);
    this.affine(c.hidden, T, m, l.W2, W, l.b2, c.out);
    space.addScaled(c.out, c.out, c.h, 1, T * W);
    space.scaleNorm(c.out, T, W, l.g2[0], c.yHat, c.yInv, c.out);
  }

  /** Backpropagates dOutput (set by lossAndGradient) into the gradients. */
  private backward(): void {
    const s = this.shape;
    const p = this.params;
    const g = this.grads;
    const { T, space } = this;
    const W = s.width;
    const N = s.n;
    const outW = this.outputWidth();
    const dx = this.dStream;
    const layers = p.layers.length;
    const finalStream = layers > 0 ? this.caches[layers - 1].out : this.stream0;
    if (s.sliceOutput && s.outputDim !== null) {
      dx.fill(0);
      for (let t = 0; t < T; t++) for (let c = 0; c < outW; c++) dx[t * W + c] = this.dOutput[t * outW + c];
    } else if (p.readoutW) {
      space.transposedProduct(finalStream, this.dOutput, g.readoutW!, T, W, outW);
      space.columnSums(this.dOutput, g.readoutB!, T, outW);
      this.backThrough(this.dOutput, T, outW, p.readoutW, W, dx, false);
    } else dx.set(this.dOutput);
    for (let i = layers - 1; i >= 0; i--) {
      const input = i > 0 ? this.caches[i - 1].out : this.stream0;
      this.layerBackward(p.layers[i], g.layers[i], this.caches[i], input, dx);
    }
    if (g.positions) g.positions.fill(0);
    if (g.positions && s.additivePositions)
      for (let t = 0; t < T; t++) for (let c = 0; c < W; c++) g.positions[(t % N) * W + c] += dx[t * W + c];
    else if (g.positions && s.appendedPositions > 0) {
      const P = s.appendedPositions;
      const d = s.inputDim;
      for (let t = 0; t < T; t++) for (let c = 0; c < P; c++) g.positions[(t % N) * P + c] += dx[t * W + d + c];
    }
    if (g.embedW) {
      space.transposedProduct(this.tokens, dx, g.embedW, T, s.inputDim, W);
      space.columnSums(dx, g.embedB!, T, W);
    }
  }

  /** dx: ∂loss/∂(layer output) on entry, ∂loss/∂(layer input x) on return. */
  private layerBackward(l: LayerParams, gl: LayerParams, c: LayerCache, x: FloatArray, dx: FloatArray): void {
    const { T, heads, space } = this;
    const { W, D, m, copies } = this.sizes;
    // Second ScaleNorm, then the MLP and its skip: dx becomes ∂/∂(h + mlp).
    gl.g2[0] = space.scaleNormBackward(dx, T, W, l.g2[0], c.yHat, c.yInv);
    space.transposedProduct(c.hidden, dx, gl.W2, T, m, W);
    space.columnSums(dx, gl.b2, T, W);
    const dHid = this.dHidden;
    this.backThrough(dx, T, W, l.W2, m, dHid, false);
    space.reluMask(c.pre, dHid, T * m);
    space.transposedProduct(c.h, dHid, gl.W1, T, W, m);
    space.columnSums(dHid, gl.b1, T, m);
    const dH = this.dH;
    dH.set(dx);
    this.backThrough(dHid, T, m, l.W1, W, dH, true);
    // First ScaleNorm: dH becomes ∂/∂u, u = x + (z·Wo)/copies.
    gl.g1[0] = space.scaleNormBackward(dH, T, W, l.g1[0], c.uHat, c.uInv);
    space.scale(dx, dH, 1 / copies, T * W);
    space.transposedProduct(c.z, dx, gl.Wo, T, D, W);
    this.backThrough(dx, T, W, l.Wo, D, this.dZ, false);
    const { dQ, dK, dV } = this;
    space.attentionBackward(c.q, c.k, c.v, c.A, this.dZ, dQ, dK, dV, this.scratch, heads);
    // The skip, then the three projections of the layer input.
    dx.set(dH);
    space.transposedProduct(x, dQ, gl.Wq, T, W, D);
    space.transposedProduct(x, dK, gl.Wk, T, W, D);
    space.transposedProduct(x, dV, gl.Wv, T, W, D);
    this.backThrough(dQ, T, D, l.Wq, W, dx, true);
    this.backThrough(dK, T, D, l.Wk, W, dx, true);
    this.backThrough(dV, T, D, l.Wv, W, dx, true);
  }
}
