/**
 * The fused trainer of the search's models (one attention layer in its three variants, and
 * Conjecture 6's two layers with a readout): the same training as train.ts's and two-layer.ts's
 * tfjs loops (initial weights, batches, schedule, Adam with its float32 rounding, loss) with the
 * step computed by fused-attention.ts in one float32 WebAssembly space. Its numbers differ from
 * tfjs's in the last bits (other summation orders, JavaScript's exp): the tests hold the two
 * together to float32 tolerance. Deterministic for a given config on any machine.
 */
import { Rng } from '../core/rng.js';
import { ArrayAdam } from '../training/adam-arrays.js';
import { preferredWasmThreads } from '../training/backend-state.js';
import type { FloatArray, FloatSpace } from '../training/float-space.js';
import { inFloat32Space } from '../training/float32-space.js';
import { learningRateAt, tailSteps } from '../training/schedule.js';
import { initialWeights, type ExportedWeights, type ModelShape } from './attention-weights.js';
import { attentionArrays, batchSquaredError, FusedAttentionLayer } from './fused-attention.js';
import { nearestTask, SEARCH_ADAM, targetPoints, type TrainConfig, type TrainResult } from './train-config.js';
import {
  extend,
  initialTwoLayer,
  type TwoLayerShape,
  type TwoLayerTrainConfig,
  type TwoLayerWeights,
} from './two-layer-weights.js';

/** A model with its batch arrays: what the training loop below needs of one. */
interface FusedModel {
  parameters(): FloatArray[];
  gradients(): FloatArray[];
  /** Fills the model's batch arrays with batch `step`. */
  batchOf(step: number): void;
  /** The loss of the current batch; fills the gradients. */
  lossAndGradient(): number;
  release(): void;
}

/** One attention layer on targets: the search's model (train.ts). */
export class FusedOneLayer {
  readonly layer: FusedAttentionLayer;
  /** The batch: queries [B, d], contexts [B, N, d], target points [B, d]. */
  readonly Y: FloatArray;
  readonly X: FloatArray;
  readonly targets: FloatArray;
  private readonly dOut: FloatArray;

  /** Allocates (only) a model of `shape` for batches of `batch` in `space`. */
  constructor(
    shape: ModelShape,
    readonly batch: number,
    private readonly space: FloatSpace,
  ) {
    const { d, n } = shape;
    this.layer = new FusedAttentionLayer(shape, batch, space);
    this.Y = space.array(batch * d);
    this.X = space.array(batch * n * d);
    this.targets = space.array(batch * d);
    this.dOut = space.array(batch * d);
  }

  /** The batch mean of ‖f(X, y) − target‖²; fills the gradients. */
  lossAndGradient(): number {
    const out = this.layer.forward(this.Y, this.X);
    const loss = batchSquaredError(out, this.targets, this.dOut, this.batch, this.layer.shape.d);
    this.layer.backward(this.dOut, null);
    return loss;
  }

  parameters(): FloatArray[] {
    return attentionArrays(this.layer.params);
  }

  gradients(): FloatArray[] {
    return attentionArrays(this.layer.grads);
  }

  release(): void {
    this.space.release();
  }
}

/** Two attention layers on the extended tokens with residual query streams and a readout: two-layer.ts's model. */
export class FusedTwoLayer {
  readonly layers: [FusedAttentionLayer, FusedAttentionLayer];
  /** Readout [D, d] (D = d + N) and its gradient. */
  readonly readout: FloatArray;
  private readonly dReadout: FloatArray;
  private readonly readoutT: FloatArray;
  /** The batch: starting streams [y; 0] [B, D], tokens [x_i; e_i] [B, N, D], target points [B, d]. */
  readonly Z0: FloatArray;
  readonly T: FloatArray;
  readonly targets: FloatArray;
  private readonly z1: FloatArray;
  private readonly z2: FloatArray;
  private readonly out: FloatArray;
  private readonly dOut: FloatArray;
  private readonly dz1: FloatArray;
  private readonly dz2: FloatArray;

  /** Allocates (only) a model of `shape` for batches of `batch` in `space`. */
  constructor(
    readonly shape: TwoLayerShape,
    readonly batch: number,
    private readonly space: FloatSpace,
  ) {
    const { d, n, r, heads } = shape;
    const D = d + n;
    const B = batch;
    const a = (len: number) => space.array(len);
    const layerShape = { d: D, r, heads, n, variant: 'plain' as const };
    this.layers = [new FusedAttentionLayer(layerShape, B, space), new FusedAttentionLayer(layerShape, B, space)];
    this.readout = a(D * d);
    this.dReadout = a(D * d);
    this.readoutT = a(D * d);
    this.Z0 = a(B * D);
    this.T = a(B * n * D);
    this.targets = a(B * d);
    this.z1 = a(B * D);
    this.z2 = a(B * D);
    this.out = a(B * d);
    this.dOut = a(B * d);
    this.dz1 = a(B * D);
    this.dz2 = a(B * D);
  }

  load(w: TwoLayerWeights): void {
    this.layers[0].load(w.layers[0]);
    this.layers[1].load(w.layers[1]);
    this.readout.set(w.readout);
  }

  weights(): TwoLayerWeights {
    return {
      shape: this.shape,
      layers: [this.layers[0].weights(), this.layers[1].weights()],
      readout: Float64Array.from(this.readout),
    };
  }

  /** The batch mean of ‖readout(z₂) − target‖²; fills the gradients. */
  lossAndGradient(): number {
    const { space, batch: B, z1, z2 } = this;
    const { d, n } = this.shape;
    const D = d + n;
    space.addScaled(z1, this.Z0, this.layers[0].forward(this.Z0, this.T), 1, B * D);
    space.addScaled(z2, z1, this.layers[1].forward(z1, this.T), 1, B * D);
    space.product(z2, this.readout, this.out, B, D, d, false);
    const loss = batchSquaredError(this.out, this.targets, this.dOut, B, d);
    space.transposedProduct(z2, this.dOut, this.dReadout, B, D, d);
    for (let k = 0; k < D; k++) for (let c = 0; c < d; c++) this.readoutT[c * D + k] = this.readout[k * d + c];
    space.product(this.dOut, this.readoutT, this.dz2, B, d, D, false);
    // z₂ = z₁ + L₂(z₁): ∂/∂z₁ is ∂/∂z₂ plus what flows back through L₂'s queries.
    this.dz1.set(this.dz2);
    this.layers[1].backward(this.dz2, this.dz1);
    this.layers[0].backward(this.dz1, null);
    return loss;
  }

  parameters(): FloatArray[] {
    return [...attentionArrays(this.layers[0].params), ...attentionArrays(this.layers[1].params), this.readout];
  }

  gradients(): FloatArray[] {
    return [...attentionArrays(this.layers[0].grads), ...attentionArrays(this.layers[1].grads), this.dReadout];
  }

  release(): void {
    this.space.release();
  }
}

/** Adam over `steps` batches with the schedule; returns the mean loss over the tail steps. */
function runFused(model: FusedModel, steps: number, learningRate: number): number {
  const params = model.parameters();
  const grads = model.gradients();
  const adam = new ArrayAdam(
    params.map((p) => p.length),
    SEARCH_ADAM,
  );
  const tail = tailSteps(steps);
  let tailLoss = 0;
  for (let step = 0; step < steps; step++) {
    model.batchOf(step);
    const loss = model.lossAndGradient();
    adam.apply(params, grads, learningRateAt(step, steps, learningRate));
    if (step >= steps - tail) tailLoss += loss;
  }
  return tailLoss / tail;
}

/** The one-layer model `cfg` trains, at its starting weights, with its batch stream. */
export function fusedOneLayer(cfg: TrainConfig, threads = 1): FusedOneLayer & FusedModel {
  const rng = Rng.fromSeed(cfg.seed);
  const start: ExportedWeights = cfg.start ?? initialWeights(cfg.shape, rng.splitNamed('init'), cfg.initScale);
  const data = rng.splitNamed('data');
  const { d, n } = cfg.shape;
  const task = cfg.task ?? nearestTask(cfg.dist, d, n);
  const model = inFloat32Space((s) => new FusedOneLayer(cfg.shape, cfg.batch, s), threads);
  model.layer.load(start);
  return Object.assign(model, {
    batchOf(step: number) {
      const b = task.sample(data.split(step), cfg.batch);
      model.Y.set(b.Y);
      model.X.set(b.X);
      model.targets.set(targetPoints(b.X, b.target, cfg.batch, n, d));
    },
  });
}

/** train() by the fused trainer. */
export function trainFused(cfg: TrainConfig): TrainResult {
  const t0 = performance.now();
  const model = fusedOneLayer(cfg, preferredWasmThreads());
  try {
    const finalLoss = runFused(model, cfg.steps, cfg.learningRate);
    return { weights: model.layer.weights(), finalLoss, steps: cfg.steps, milliseconds: performance.now() - t0 };
  } finally {
    model.release();
  }
}

/** The two-layer model `cfg` trains, at its initial weights, with its batch stream. */
export function fusedTwoLayer(cfg: TwoLayerTrainConfig, threads = 1): FusedTwoLayer & FusedModel {
  const { d, n } = cfg.shape;
  const rng = Rng.fromSeed(cfg.seed);
  const w = initialTwoLayer(cfg.shape, rng.splitNamed('init'), cfg.initScale);
  const data = rng.splitNamed('data');
  const task = nearestTask(cfg.dist, d, n);
  const model = inFloat32Space((s) => new FusedTwoLayer(cfg.shape, cfg.batch, s), threads);
  model.load(w);
  return Object.assign(model, {
    batchOf(step: number) {
      const s = task.sample(data.split(step), cfg.batch);
      const { T, Z } = extend(s.X, s.Y, cfg.batch, d, n);
      model.T.set(T);
      model.Z0.set(Z);
      model.targets.set(targetPoints(s.X, s.target, cfg.batch, n, d));
    },
  });
}

/** trainTwoLayer() by the fused trainer. */
export function trainTwoLayerFused(cfg: TwoLayerTrainConfig): TwoLayerWeights {
  const model = fusedTwoLayer(cfg, preferredWasmThreads());
  try {
    runFused(model, cfg.steps, cfg.learningRate);
    return model.weights();
  } finally {
    model.release();
  }
}
