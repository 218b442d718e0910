/**
 * Adam's update on the variables' own float32 values, in JavaScript, with the operations of
 * tfjs's AdamOptimizer.applyGradients (tfjs-core 4.22) in their order, each rounded to float32.
 *
 * Why: on the small models of the audit a training step launches ~400 tfjs kernels, and the
 * optimizer's dozen elementwise kernels per variable are a third of them; a loop over a few
 * thousand floats costs less than launching one. Why it is exact: +, −, ×, ÷ and √ of float32
 * values computed in float64 and rounded once to float32 give the correctly rounded float32
 * result (float64 has more than 2·24 + 2 bits), which is what the backend's float32 kernels
 * return. A test steps both side by side and compares every bit.
 */
import * as tf from '@tensorflow/tfjs';

const f32 = Math.fround;

/** Adam's moments for a list of variables, updated in place; the same state as tfjs's optimizer. */
export class AdamUpdate {
  private readonly first: Float32Array[];
  private readonly second: Float32Array[];
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly oneMinusBeta1: number;
  private readonly oneMinusBeta2: number;
  private readonly epsilon: number;
  /** β₁ᵗ and β₂ᵗ as tfjs keeps them: float32 scalars multiplied by β once per step. */
  private accBeta1: number;
  private accBeta2: number;

  /** 0 < β₁, β₂ < 1, ε > 0 (dimensionless), for these variables in this order. */
  constructor(
    private readonly variables: tf.Variable[],
    settings: { beta1: number; beta2: number; epsilon: number },
  ) {
    this.first = variables.map((v) => new Float32Array(v.size));
    this.second = variables.map((v) => new Float32Array(v.size));
    this.beta1 = f32(settings.beta1);
    this.beta2 = f32(settings.beta2);
    // tfjs forms 1 − β in float64 and makes a float32 scalar of it.
    this.oneMinusBeta1 = f32(1 - settings.beta1);
    this.oneMinusBeta2 = f32(1 - settings.beta2);
    this.epsilon = f32(settings.epsilon);
    this.accBeta1 = this.beta1;
    this.accBeta2 = this.beta2;
  }

  /** One step at `learningRate` with these gradients (one per variable, same order and shape). */
  apply(gradients: tf.Tensor[], learningRate: number): void {
    const { beta1, beta2, oneMinusBeta1, oneMinusBeta2, epsilon } = this;
    const oneMinusAcc1 = f32(1 - this.accBeta1);
    const oneMinusAcc2 = f32(1 - this.accBeta2);
    const step = f32(-learningRate);
    this.variables.forEach((variable, i) => {
      const g = gradients[i].dataSync() as Float32Array;
      const x = Float32Array.from(variable.dataSync() as Float32Array);
      const m = this.first[i];
      const v = this.second[i];
      for (let k = 0; k < x.length; k++) {
        const gk = g[k];
        const mk = f32(f32(m[k] * beta1) + f32(gk * oneMinusBeta1));
        const vk = f32(f32(v[k] * beta2) + f32(f32(gk * gk) * oneMinusBeta2));
        m[k] = mk;
        v[k] = vk;
        const mHat = f32(mk / oneMinusAcc1);
        const vHat = f32(vk / oneMinusAcc2);
        x[k] = f32(f32(f32(mHat / f32(f32(Math.sqrt(vHat)) + epsilon)) * step) + x[k]);
      }
      tf.tidy(() => variable.assign(tf.tensor(x, variable.shape, 'float32')));
    });
    this.accBeta1 = f32(this.accBeta1 * beta1);
    this.accBeta2 = f32(this.accBeta2 * beta2);
  }
}
