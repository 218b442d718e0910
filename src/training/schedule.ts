/** The learning-rate schedule of every training in rankcheck (the paper's: warm-up, then cosine decay to a tenth). */

/** Steps over which a training's final loss is averaged: the last 5% (at least one). */
export const tailSteps = (steps: number) => Math.max(1, Math.floor(0.05 * steps));

/** Learning rate at step t of T: linear warm-up for 5%, then cosine from the peak to a tenth of it. */
export function learningRateAt(t: number, T: number, peak: number): number {
  const warm = Math.max(1, Math.floor(0.05 * T));
  if (t < warm) return (peak * (t + 1)) / warm;
  const progress = (t - warm) / Math.max(1, T - warm);
  return peak * (0.1 + 0.45 * (1 + Math.cos(Math.PI * progress)));
}
