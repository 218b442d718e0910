/**
 * A deliberately plain reference implementation of multi-head attention for one query, straight
 * from the formula Σ_h V_h Σ_i softmax_i(yᵀQ_hK_hᵀx_i) x_i, with no precomputation or tiling.
 */
import type { AttentionSpec } from '../../src/model/attention.js';

export function naiveAttention(spec: AttentionSpec, xs: number[][], y: number[]): number[] {
  const { d, r } = spec;
  const out = new Array(d).fill(0);
  for (const head of spec.heads) {
    const scores = xs.map((x, i) => {
      if (head.score) {
        const p = new Float64Array(r);
        for (let c = 0; c < r; c++) for (let k = 0; k < d; k++) p[c] += head.Q[k * r + c] * y[k];
        return head.score(p, Float64Array.from(x), 0, i);
      }
      let s = 0;
      for (let a = 0; a < d; a++)
        for (let b = 0; b < d; b++) {
          let qk = 0;
          for (let c = 0; c < r; c++) qk += head.Q[a * r + c] * head.K[b * r + c];
          s += y[a] * qk * x[b];
        }
      return s;
    });
    let weights: number[];
    if (spec.normalisation === 'hardmax') {
      const best = scores.indexOf(Math.max(...scores));
      weights = scores.map((_, i) => (i === best ? 1 : 0));
    } else {
      const m = Math.max(...scores);
      const e = scores.map((s) => Math.exp(s - m));
      const z = e.reduce((a, b) => a + b, 0);
      weights = e.map((v) => v / z);
    }
    for (let k = 0; k < d; k++) {
      for (let j = 0; j < d; j++) {
        let zj = 0;
        xs.forEach((x, i) => (zj += weights[i] * x[j]));
        out[k] += head.V[k * d + j] * zj;
      }
    }
  }
  return out;
}
