/**
 * The float64 reference FloatSpace: every operation by plain loops over Float64Arrays, in the
 * order the WebAssembly kernels use (for tests: the fused passes' gradients against central
 * differences, and the kernels against these loops; slow).
 */
import type { FloatArray, FloatSpace } from './float-space.js';
import { SCALE_NORM_EPSILON } from './scale-norm.js';

/** The elementwise and row-wise operations by loops (elementwise.wat computes the same). */
const elementwiseLoops: Pick<
  FloatSpace,
  'addRows' | 'addScaled' | 'scale' | 'relu' | 'reluMask' | 'scaleNorm' | 'scaleNormBackward'
> = {
  addRows(out, b, rows, n) {
    for (let t = 0; t < rows; t++) for (let j = 0; j < n; j++) out[t * n + j] += b[j];
  },
  addScaled(out, x, y, s, len) {
    for (let i = 0; i < len; i++) out[i] = x[i] + s * y[i];
  },
  scale(out, x, s, len) {
    for (let i = 0; i < len; i++) out[i] = s * x[i];
  },
  relu(pre, out, len) {
    for (let i = 0; i < len; i++) out[i] = pre[i] > 0 ? pre[i] : 0;
  },
  reluMask(pre, d, len) {
    for (let i = 0; i < len; i++) if (!(pre[i] > 0)) d[i] = 0;
  },
  scaleNorm(y, rows, W, g, yHat, inv, out) {
    for (let t = 0; t < rows; t++) {
      let s = 0;
      for (let c = 0; c < W; c++) s += y[t * W + c] * y[t * W + c];
      const f = 1 / Math.sqrt(s + SCALE_NORM_EPSILON);
      inv[t] = f;
      for (let c = 0; c < W; c++) {
        const u = y[t * W + c] * f;
        yHat[t * W + c] = u;
        out[t * W + c] = g * u;
      }
    }
  },
  scaleNormBackward(dout, rows, W, g, yHat, inv) {
    let dg = 0;
    for (let t = 0; t < rows; t++) {
      let p = 0;
      for (let c = 0; c < W; c++) p += dout[t * W + c] * yHat[t * W + c];
      dg += p;
      const f = g * inv[t];
      for (let c = 0; c < W; c++) dout[t * W + c] = f * (dout[t * W + c] - yHat[t * W + c] * p);
    }
    return dg;
  },
};

/** The scores A[a … a+N) (largest `max`) made their softmax in place: exp(A − max), then each over the total. */
function softmaxInPlace(A: FloatArray, a: number, N: number, max: number): void {
  let total = 0;
  for (let i = 0; i < N; i++) {
    A[a + i] = Math.exp(A[a + i] - max);
    total += A[a + i];
  }
  for (let i = 0; i < N; i++) A[a + i] /= total;
}

/** attention by loops (attention.wat computes the same, in the same order). */
const attentionLoops: FloatSpace['attention'] = (q, k, v, A, z, _scratch, h) => {
  const { B, G, N, r, D, scale } = h;
  z.fill(0, 0, B * N * D);
  for (let b = 0; b < B; b++)
    for (let g = 0; g < G; g++) {
      const o = g * r;
      for (let j = 0; j < N; j++) {
        const qj = (b * N + j) * D + o;
        const a = ((b * G + g) * N + j) * N;
        let max = -Infinity;
        for (let i = 0; i < N; i++) {
          const ki = (b * N + i) * D + o;
          let dot = 0;
          for (let e = 0; e < r; e++) dot += q[qj + e] * k[ki + e];
          const sc = dot * scale;
          A[a + i] = sc;
          if (sc > max) max = sc;
        }
        softmaxInPlace(A, a, N, max);
        for (let i = 0; i < N; i++) {
          const w = A[a + i];
          const vi = (b * N + i) * D + o;
          for (let e = 0; e < r; e++) z[qj + e] += w * v[vi + e];
        }
      }
    }
};

/** attentionBackward by loops (attention.wat computes the same, in the same order). */
const attentionBackwardLoops: FloatSpace['attentionBackward'] = (q, k, v, A, dZ, dQ, dK, dV, dA, h) => {
  // dA: the first N numbers of the scratch.
  const { B, G, N, r, D, scale } = h;
  for (const x of [dQ, dK, dV]) x.fill(0, 0, B * N * D);
  for (let b = 0; b < B; b++)
    for (let g = 0; g < G; g++) {
      const o = g * r;
      for (let j = 0; j < N; j++) {
        const qj = (b * N + j) * D + o;
        const a = ((b * G + g) * N + j) * N;
        let rho = 0;
        for (let i = 0; i < N; i++) {
          const vi = (b * N + i) * D + o;
          let dot = 0;
          for (let e = 0; e < r; e++) dot += dZ[qj + e] * v[vi + e];
          dA[i] = dot;
          const w = A[a + i];
          rho += w * dot;
          for (let e = 0; e < r; e++) dV[vi + e] += w * dZ[qj + e];
        }
        for (let i = 0; i < N; i++) {
          const dS = A[a + i] * (dA[i] - rho) * scale;
          const ki = (b * N + i) * D + o;
          for (let e = 0; e < r; e++) dQ[qj + e] += dS * k[ki + e];
          for (let e = 0; e < r; e++) dK[ki + e] += dS * q[qj + e];
        }
      }
    }
};

/** queryAttention by loops (attention.wat computes the same, in the same order but in float32). */
const queryAttentionLoops: FloatSpace['queryAttention'] = (P, Kx, bias, X, A, Z, _scratch, q) => {
  const { B, H, N, r, d } = q;
  const Hr = H * r;
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++) {
      const a = (b * H + h) * N;
      let max = -Infinity;
      for (let i = 0; i < N; i++) {
        let s = bias ? bias[h * N + i] : 0;
        const ki = (b * N + i) * Hr + h * r;
        for (let c = 0; c < r; c++) s += P[b * Hr + h * r + c] * Kx[ki + c];
        A[a + i] = s;
        if (s > max) max = s;
      }
      softmaxInPlace(A, a, N, max);
      const z = (b * H + h) * d;
      Z.fill(0, z, z + d);
      for (let i = 0; i < N; i++) {
        const w = A[a + i];
        const xi = (b * N + i) * d;
        for (let k = 0; k < d; k++) Z[z + k] += w * X[xi + k];
      }
    }
};

/** queryAttentionBackward by loops; dA: the first N numbers of the scratch. */
const queryAttentionBackwardLoops: FloatSpace['queryAttentionBackward'] = (P, Kx, X, A, dZ, dP, dKx, dBias, dA, q) => {
  const { B, H, N, r, d } = q;
  const Hr = H * r;
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++) {
      const a = (b * H + h) * N;
      const z = (b * H + h) * d;
      let rho = 0;
      for (let i = 0; i < N; i++) {
        let s = 0;
        const xi = (b * N + i) * d;
        for (let k = 0; k < d; k++) s += dZ[z + k] * X[xi + k];
        dA[i] = s;
        rho += A[a + i] * s;
      }
      const p = b * Hr + h * r;
      dP.fill(0, p, p + r);
      for (let i = 0; i < N; i++) {
        const ki = (b * N + i) * Hr + h * r;
        const dS = A[a + i] * (dA[i] - rho);
        if (dBias) dBias[h * N + i] += dS;
        for (let c = 0; c < r; c++) {
          dP[p + c] += dS * Kx[ki + c];
          dKx[ki + c] = dS * P[p + c];
        }
      }
    }
};

/** The float64 reference: products by plain loops (for tests; slow). */
export function float64Space(): FloatSpace {
  return {
    precision: 'float64',
    array: (length) => new Float64Array(length),
    product(a, b, out, m, k, n, accumulate) {
      if (!accumulate) out.fill(0, 0, m * n);
      for (let i = 0; i < m; i++)
        for (let t = 0; t < k; t++) {
          const s = a[i * k + t];
          for (let j = 0; j < n; j++) out[i * n + j] += s * b[t * n + j];
        }
    },
    transposedProduct(x, dy, out, T, k, n) {
      out.fill(0, 0, k * n);
      for (let t = 0; t < T; t++)
        for (let i = 0; i < k; i++) {
          const s = x[t * k + i];
          for (let j = 0; j < n; j++) out[i * n + j] += s * dy[t * n + j];
        }
    },
    columnSums(dy, out, T, n) {
      out.fill(0, 0, n);
      for (let t = 0; t < T; t++) for (let j = 0; j < n; j++) out[j] += dy[t * n + j];
    },
    ...elementwiseLoops,
    release: () => undefined,
    attention: attentionLoops,
    attentionBackward: attentionBackwardLoops,
    queryAttention: queryAttentionLoops,
    queryAttentionBackward: queryAttentionBackwardLoops,
  };
}
