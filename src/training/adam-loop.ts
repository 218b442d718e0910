/**
 * The one training loop of rankcheck (the search's attention layers and the Section-7
 * transformers): Adam on a fresh batch every step, the learning rate set by the schedule before
 * each step, and the training loss averaged over the last 5% of steps. Deterministic for a given
 * batch stream on a given backend.
 */
import * as tf from '@tensorflow/tfjs';
import { AdamUpdate } from './adam-update.js';
import { learningRateAt } from './schedule.js';

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

/** Steps over which the final loss is averaged: the last 5% (at least one). */
export const tailSteps = (steps: number) => Math.max(1, Math.floor(0.05 * steps));

/** Runs the loop; returns the mean training loss over the tail steps. */
export function runAdam(loop: AdamLoop): { finalLoss: number } {
  return loop.update === 'tfjs' ? runWithOptimizer(loop) : runWithTypedArrays(loop);
}

function runWithTypedArrays(loop: AdamLoop): { finalLoss: number } {
  const { learningRate, beta1, beta2, epsilon } = loop.adam;
  const adam = new AdamUpdate(loop.variables, { beta1, beta2, epsilon });
  const tail = tailSteps(loop.steps);
  let tailLoss = 0;
  for (let step = 0; step < loop.steps; step++) {
    const b = loop.batch(step);
    const { value, grads } = tf.variableGrads(() => b.loss(), loop.variables);
    try {
      adam.apply(
        loop.variables.map((v) => grads[v.name]),
        learningRateAt(step, loop.steps, learningRate),
      );
      if (step >= loop.steps - tail) tailLoss += value.dataSync()[0];
    } finally {
      tf.dispose([value, ...Object.values(grads), ...b.tensors]);
    }
    loop.onStep?.(step);
  }
  return { finalLoss: tailLoss / tail };
}

function runWithOptimizer(loop: AdamLoop): { finalLoss: number } {
  const { learningRate, beta1, beta2, epsilon } = loop.adam;
  const optimizer = tf.train.adam(learningRate, beta1, beta2, epsilon);
  const tail = tailSteps(loop.steps);
  let tailLoss = 0;
  try {
    for (let step = 0; step < loop.steps; step++) {
      // The optimizer reads its rate on every update; the schedule sets it before each step.
      (optimizer as unknown as { learningRate: number }).learningRate = learningRateAt(step, loop.steps, learningRate);
      const b = loop.batch(step);
      const loss = optimizer.minimize(() => b.loss(), step >= loop.steps - tail, loop.variables);
      if (loss) {
        tailLoss += loss.dataSync()[0];
        loss.dispose();
      }
      tf.dispose(b.tensors);
      loop.onStep?.(step);
    }
    return { finalLoss: tailLoss / tail };
  } finally {
    optimizer.dispose();
  }
}
