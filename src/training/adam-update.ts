/**
 * Adam's update on the variables' own float32 values, in JavaScript, with the operations of
 * tfjs's AdamOptimizer.applyGradients (tfjs-core 4.22) in their order, each rounded to float32.
 *
 * Why: on the small models of the audit a training step launches ~400 tfjs kernels, and the
 * optimizer's dozen elementwise kernels per variable are a third of them; a loop over a few
 * thousand floats costs less than launching one. Why it is exact: +, −, ×, ÷ and √ of float32
 * values computed in float64 and rounded once to float32 give the correctly rounded float32
 * result (adam-arrays.ts, which does the arithmetic). A test steps both side by side and compares
 * every bit.
 */
import * as tf from '@tensorflow/tfjs';
import { ArrayAdam } from './adam-arrays.js';

/** Adam's moments for a list of variables, updated in place; the same state as tfjs's optimizer. */
export class AdamUpdate {
  private readonly adam: ArrayAdam;

  /** 0 < β₁, β₂ < 1, ε > 0 (dimensionless), for these variables in this order. */
  constructor(
    private readonly variables: tf.Variable[],
    settings: { beta1: number; beta2: number; epsilon: number },
  ) {
    this.adam = new ArrayAdam(
      variables.map((v) => v.size),
      settings,
    );
  }

  /** One step at `learningRate` with these gradients (one per variable, same order and shape). */
  apply(gradients: tf.Tensor[], learningRate: number): void {
    const values = this.variables.map((v) => Float32Array.from(v.dataSync() as Float32Array));
    this.adam.apply(
      values,
      gradients.map((g) => g.dataSync() as Float32Array),
      learningRate,
    );
    this.variables.forEach((variable, i) =>
      tf.tidy(() => variable.assign(tf.tensor(values[i], variable.shape, 'float32'))),
    );
  }
}
