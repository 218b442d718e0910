/** Ordinary least squares for a straight line, with the diagnostics the scaling checks report. */

export interface LineFit {
  slope: number;
  intercept: number;
  /** Standard error of the slope (n ≥ 3), from the residual variance. */
  slopeStdError: number;
  /** Coefficient of determination. */
  r2: number;
  /** Root mean square of the residuals. */
  residualRms: number;
  residuals: number[];
  n: number;
}

/** xs, ys of equal length n ≥ 2 with xs not all equal; fits y = slope·x + intercept. */
export function fitLine(xs: readonly number[], ys: readonly number[]): LineFit {
  const n = xs.length;
  if (n < 2 || ys.length !== n) throw new RangeError('fitLine needs two or more (x, y) pairs');
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (ys[i] - my);
    syy += (ys[i] - my) ** 2;
  }
  if (sxx === 0) throw new RangeError('fitLine needs at least two distinct x values');
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const residuals = xs.map((x, i) => ys[i] - (slope * x + intercept));
  const sse = residuals.reduce((a, r) => a + r * r, 0);
  return {
    slope,
    intercept,
    slopeStdError: n > 2 ? Math.sqrt(sse / (n - 2) / sxx) : NaN,
    r2: syy === 0 ? 1 : 1 - sse / syy,
    residualRms: Math.sqrt(sse / n),
    residuals,
    n,
  };
}
