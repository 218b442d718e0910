/**
 * The one training loop of rankcheck (the search's attention layers and the Section-7
 * transformers): Adam on a fresh batch every step, the learning rate set by the schedule before
 * each step, and the training loss averaged over the last 5% of steps. Deterministic for a given
 * batch stream on a given backend.
 */
import * as tf from '@tensorflow/tfjs';
import { AdamUpdate } from './adam-update.js';
import { learningRateAt, tailSteps } from './schedule.js';

export interface AdamSettings {
  /** Peak learning rate of the schedule (warm-up, then cosine decay to a tenth). */
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** One step's batch: the tensors it owns (disposed after the step) and its loss. */
export interface StepBatch {
  tensors: tf.Tensor[];
  loss(): tf.Scalar;
}

export interface AdamLoop {
  steps: number;
  adam: AdamSettings;
  variables: tf.Variable[];
  batch(step: number): StepBatch;
  onStep?: (step: number) => void;
  /**
   * Who applies Adam's update: 'typed-array' (default; AdamUpdate, a loop over the float32
   * values) or 'tfjs' (tfjs's AdamOptimizer, the reference). Both give the same bits.
   */
  update?: 'typed-array' | 'tfjs';
}

export { tailSteps };

/** One Adam step on a loss: returns the loss when `keep`, else null; `dispose` frees its state. */
interface Stepper {
  step(loss: () => tf.Scalar, learningRate: number, keep: boolean): tf.Scalar | null;
  dispose(): void;
}

function typedArrayStepper(loop: AdamLoop): Stepper {
  const adam = new AdamUpdate(loop.variables, loop.adam);
  return {
    step(loss, learningRate, keep) {
      const { value, grads } = tf.variableGrads(loss, loop.variables);
      try {
        adam.apply(
          loop.variables.map((v) => grads[v.name]),
          learningRate,
        );
      } finally {
        tf.dispose(Object.values(grads));
      }
      if (keep) return value;
      value.dispose();
      return null;
    },
    dispose() {},
  };
}

function optimizerStepper(loop: AdamLoop): Stepper {
  const { learningRate, beta1, beta2, epsilon } = loop.adam;
  const optimizer = tf.train.adam(learningRate, beta1, beta2, epsilon);
  return {
    step(loss, rate, keep) {
      // The optimizer reads its rate on every update.
      (optimizer as unknown as { learningRate: number }).learningRate = rate;
      return optimizer.minimize(loss, keep, loop.variables);
    },
    dispose: () => optimizer.dispose(),
  };
}

/** Runs the loop; returns the mean training loss over the tail steps. */
export function runAdam(loop: AdamLoop): { finalLoss: number } {
  const stepper = loop.update === 'tfjs' ? optimizerStepper(loop) : typedArrayStepper(loop);
  const tail = tailSteps(loop.steps);
  let tailLoss = 0;
  try {
    for (let step = 0; step < loop.steps; step++) {
      const b = loop.batch(step);
      try {
        // The schedule sets the rate before each step.
        const rate = learningRateAt(step, loop.steps, loop.adam.learningRate);
        const loss = stepper.step(() => b.loss(), rate, step >= loop.steps - tail);
        if (loss) {
          tailLoss += loss.dataSync()[0];
          loss.dispose();
        }
      } finally {
        tf.dispose(b.tensors);
      }
      loop.onStep?.(step);
    }
    return { finalLoss: tailLoss / tail };
  } finally {
    stepper.dispose();
  }
}
