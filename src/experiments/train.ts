/**
 * Training a Section-7 transformer: Adam with betas (0.9, 0.95) — exactly AdamW with the paper's
 * weight decay of 0, which tfjs lacks by name — linear warm-up over the first 5% of steps then
 * cosine decay to a tenth (learningRateAt), a fresh batch from the project's samplers every step,
 * loss d × MSE (per scored token: squared error summed over coordinates, averaged). Deterministic
 * for a given spec on a given backend.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/rng.js';
import { runAdam, type AdamLoop } from '../training/adam-loop.js';
import { trainTransformerFused } from './train-fused.js';
import { outputDim, sampleTask, scoredTokens, shapeFor, type TaskSpec } from './tasks.js';
import {
  createTransformer,
  disposeTransformer,
  exportTransformer,
  forwardTransformer,
  initialWeights,
  type TrainableTransformer,
} from './transformer.js';
import { ADAM_MOMENTS, seededStreams, type TrainOutcome, type TrainSpec } from './train-spec.js';

export type { TrainOutcome, TrainSpec } from './train-spec.js';

/** The batch loss: mean over scored tokens of ‖output − target‖² (= d × the elementwise MSE). */
export function batchLoss(
  model: TrainableTransformer,
  task: TaskSpec,
  tokens: tf.Tensor2D,
  targets: tf.Tensor2D,
  size: number,
): tf.Scalar {
  return tf.tidy(() => {
    let out = forwardTransformer(model, tokens, size);
    if (scoredTokens(task) === 'last') {
      const p = outputDim(task);
      out = tf.reshape(tf.slice(tf.reshape(out, [size, task.n, p]), [0, task.n - 1, 0], [size, 1, p]), [size, p]);
    }
    return tf.mean(tf.sum(tf.square(tf.sub(out, targets)), 1)) as tf.Scalar;
  });
}

/** A batch drawn from `data` as tensors. */
function batchTensors(spec: TrainSpec, data: Rng): { tokens: tf.Tensor2D; targets: tf.Tensor2D } {
  const b = sampleTask(spec.task, data, spec.batch);
  const inDim = b.tokens.length / (spec.batch * spec.task.n);
  const p = outputDim(spec.task);
  return {
    tokens: tf.tensor2d(Float32Array.from(b.tokens), [spec.batch * spec.task.n, inDim]),
    targets: tf.tensor2d(Float32Array.from(b.targets), [b.targets.length / p, p]),
  };
}

/** The transformer `spec` trains and its Adam loop (the caller disposes the model). */
export function transformerLoop(
  spec: TrainSpec,
  onStep?: (step: number) => void,
): { model: TrainableTransformer; loop: AdamLoop } {
  const { init, batchRng } = seededStreams(spec);
  const model = createTransformer(initialWeights(shapeFor(spec.task, spec.arch), init));
  return {
    model,
    loop: {
      steps: spec.steps,
      adam: { learningRate: spec.learningRate, ...ADAM_MOMENTS },
      variables: model.variables,
      batch: (step) => {
        const { tokens, targets } = batchTensors(spec, batchRng(step));
        return { tensors: [tokens, targets], loss: () => batchLoss(model, spec.task, tokens, targets, spec.batch) };
      },
      onStep,
    },
  };
}

/** Trains one model from scratch (`steps` Adam steps) with the spec's trainer; `onStep` sees each step's index. */
export function trainTransformer(spec: TrainSpec, onStep?: (step: number) => void): TrainOutcome {
  if (spec.trainer === 'fused') return trainTransformerFused(spec, onStep);
  const t0 = performance.now();
  const { model, loop } = transformerLoop(spec, onStep);
  try {
    const { finalLoss } = runAdam(loop);
    return { weights: exportTransformer(model), finalLoss, milliseconds: performance.now() - t0 };
  } finally {
    disposeTransformer(model);
  }
}
