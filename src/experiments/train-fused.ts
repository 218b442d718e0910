/**
 * The fused trainer of a Section-7 transformer: the same training as train.ts's (initialisation,
 * batches, schedule, Adam with its float32 rounding, loss) with the step computed by
 * fused-transformer.ts in one float32 WebAssembly space instead of by tfjs kernels. Its numbers
 * differ from tfjs's in the last bits (other summation orders, JavaScript's exp): the tests hold
 * the two together to float32 tolerance. Deterministic for a given spec on any machine.
 */
import { ArrayAdam } from '../training/adam-arrays.js';
import { preferredWasmThreads } from '../training/backend-state.js';
import type { FloatSpace } from '../training/float-space.js';
import { inFloat32Space } from '../training/float32-space.js';
import { learningRateAt, tailSteps } from '../training/schedule.js';
import { FusedTransformer } from './fused-transformer.js';
import { initialWeights } from './initial-weights.js';
import { sampleTask, scoredTokens, shapeFor } from './tasks.js';
import { ADAM_MOMENTS, seededStreams, type TrainOutcome, type TrainSpec } from './train-spec.js';

/** The model `spec` trains, at its initial weights, in a float32 WebAssembly space whose large products use `threads` threads. */
export function fusedModel(spec: TrainSpec, threads = 1): { model: FusedTransformer; batchOf: (step: number) => void } {
  const { init, batchRng } = seededStreams(spec);
  const w = initialWeights(shapeFor(spec.task, spec.arch), init);
  const make = (s: FloatSpace) => new FusedTransformer(w.shape, spec.batch, scoredTokens(spec.task), s);
  const model = inFloat32Space(make, threads);
  model.load(w);
  return {
    model,
    batchOf(step) {
      const b = sampleTask(spec.task, batchRng(step), spec.batch);
      model.tokens.set(b.tokens);
      model.targets.set(b.targets);
    },
  };
}

/** Trains one model from scratch (`steps` Adam steps) with the fused step; `onStep` sees each step's index. */
export function trainTransformerFused(spec: TrainSpec, onStep?: (step: number) => void): TrainOutcome {
  const t0 = performance.now();
  // The wasm thread count of the tfjs backend (RANKCHECK_WASM_THREADS) is this trainer's too.
  const { model, batchOf } = fusedModel(spec, preferredWasmThreads());
  const params = model.parameters();
  const grads = model.gradients();
  const adam = new ArrayAdam(
    params.map((p) => p.length),
    ADAM_MOMENTS,
  );
  const tail = tailSteps(spec.steps);
  let tailLoss = 0;
  try {
    for (let step = 0; step < spec.steps; step++) {
      batchOf(step);
      const loss = model.lossAndGradient();
      adam.apply(params, grads, learningRateAt(step, spec.steps, spec.learningRate));
      if (step >= spec.steps - tail) tailLoss += loss;
      onStep?.(step);
    }
    return { weights: model.weights(), finalLoss: tailLoss / tail, milliseconds: performance.now() - t0 };
  } finally {
    model.release();
  }
}
