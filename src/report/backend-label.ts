/** The backends a document names, from what ran its units (pure: no global is read). */
import type { RanOn } from '../audit/records.js';

/**
 * "float64-wasm-simd + tfjs-wasm"-style label of these units' backends ("+ fused-trainer" when a
 * unit's models were trained by the fused trainer), each named once in order
 * of first use; `fallback` (the label of a resumed or merged document) stands for units recorded
 * before they carried what ran them, and is the whole label when no unit says.
 */
export function backendLabel(ranOn: readonly (RanOn | undefined)[], fallback: string): string {
  const evaluators: string[] = [];
  const tfjs: string[] = [];
  let unlabelled = false;
  let fused = false;
  for (const r of ranOn) {
    if (r === undefined) unlabelled = true;
    else {
      if (!evaluators.includes(r.evaluator)) evaluators.push(r.evaluator);
      if (r.tfjs !== null && !tfjs.includes(r.tfjs)) tfjs.push(r.tfjs);
      if (r.trainer === 'fused') fused = true;
    }
  }
  if (evaluators.length === 0) return fallback;
  const parts = [...evaluators, ...tfjs.map((t) => `tfjs-${t}`), ...(fused ? ['fused-trainer'] : [])];
  return unlabelled && !parts.includes(fallback) ? `${parts.join(' + ')} + ${fallback}` : parts.join(' + ');
}
