/**
 * Adam's update on plain float arrays, with the operations of tfjs's AdamOptimizer.applyGradients
 * (tfjs-core 4.22) in their order, each rounded to float32 (`round`, Math.fround by default).
 *
 * Why the rounding is exact: +, −, ×, ÷ and √ of float32 values computed in float64 and rounded
 * once to float32 give the correctly rounded float32 result (float64 has more than 2·24 + 2 bits),
 * which is what tfjs's float32 kernels return; test/training/adam-update.test.ts steps the tfjs
 * optimizer and this side by side and compares every bit.
 */
import type { FloatArray } from './float-space.js';

/** Adam's moments for a list of arrays, updated in place; the same state as tfjs's optimizer. */
export class ArrayAdam {
  private readonly first: Float64Array[] | Float32Array[];
  private readonly second: Float64Array[] | Float32Array[];
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly oneMinusBeta1: number;
  private readonly oneMinusBeta2: number;
  private readonly epsilon: number;
  /** β₁ᵗ and β₂ᵗ as tfjs keeps them: scalars multiplied by β once per step. */
  private accBeta1: number;
  private accBeta2: number;

  /** 0 < β₁, β₂ < 1, ε > 0 (dimensionless), for arrays of these lengths in this order. */
  constructor(
    lengths: number[],
    settings: { beta1: number; beta2: number; epsilon: number },
    private readonly round: (x: number) => number = Math.fround,
  ) {
    const f32 = round === Math.fround;
    this.first = lengths.map((n) => (f32 ? new Float32Array(n) : new Float64Array(n))) as Float32Array[];
    this.second = lengths.map((n) => (f32 ? new Float32Array(n) : new Float64Array(n))) as Float32Array[];
    this.beta1 = round(settings.beta1);
    this.beta2 = round(settings.beta2);
    // tfjs forms 1 − β in float64 and makes a float32 scalar of it.
    this.oneMinusBeta1 = round(1 - settings.beta1);
    this.oneMinusBeta2 = round(1 - settings.beta2);
    this.epsilon = round(settings.epsilon);
    this.accBeta1 = this.beta1;
    this.accBeta2 = this.beta2;
  }

  /** One step at `learningRate`: params[i] moves against grads[i] (same order and lengths as constructed). */
  apply(params: FloatArray[], grads: FloatArray[], learningRate: number): void {
    const { beta1, beta2, oneMinusBeta1, oneMinusBeta2, epsilon, round: f } = this;
    const oneMinusAcc1 = f(1 - this.accBeta1);
    const oneMinusAcc2 = f(1 - this.accBeta2);
    const step = f(-learningRate);
    params.forEach((x, i) => {
      const g = grads[i];
      const m = this.first[i];
      const v = this.second[i];
      for (let k = 0; k < x.length; k++) {
        const gk = g[k];
        const mk = f(f(m[k] * beta1) + f(gk * oneMinusBeta1));
        const vk = f(f(v[k] * beta2) + f(f(gk * gk) * oneMinusBeta2));
        m[k] = mk;
        v[k] = vk;
        const mHat = f(mk / oneMinusAcc1);
        const vHat = f(vk / oneMinusAcc2);
        x[k] = f(f(f(mHat / f(f(Math.sqrt(vHat)) + epsilon)) * step) + x[k]);
      }
    });
    this.accBeta1 = f(this.accBeta1 * beta1);
    this.accBeta2 = f(this.accBeta2 * beta2);
  }
}
