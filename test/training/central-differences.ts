/**
 * The gradient check both fused passes are held to: along a random Gaussian direction u of each
 * parameter array, the derivative by central differences (step 1e-6) beside the analytic gradient's
 * ⟨g, u⟩. Any error e in a gradient array shows as ⟨e, u⟩ ~ ‖e‖.
 */
import { Rng } from '../../src/core/rng.js';
import type { FloatArray } from '../../src/training/float-space.js';

/** A model whose loss fills its gradients, over arrays it lets the caller move. */
export interface Differentiable {
  parameters(): FloatArray[];
  gradients(): FloatArray[];
  lossAndGradient(): number;
}

/** Per parameter array: the numeric and analytic directional derivatives, and ‖u‖. */
export function directionalPairs(model: Differentiable): { numeric: number; analytic: number; norm: number }[] {
  model.lossAndGradient();
  const grads = model.gradients().map((g) => Float64Array.from(g));
  const rng = Rng.fromSeed(3);
  const h = 1e-6;
  return model.parameters().map((p, a) => {
    const u = Float64Array.from(p, () => rng.normal());
    const x0 = Float64Array.from(p);
    const at = (step: number) => {
      for (let k = 0; k < p.length; k++) p[k] = x0[k] + step * u[k];
      return model.lossAndGradient();
    };
    const numeric = (at(h) - at(-h)) / (2 * h);
    p.set(x0);
    let analytic = 0;
    let norm = 0;
    for (let k = 0; k < p.length; k++) {
      analytic += grads[a][k] * u[k];
      norm += u[k] * u[k];
    }
    return { numeric, analytic, norm: Math.sqrt(norm) };
  });
}
