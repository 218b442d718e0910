/** Transformer shapes that cover every branch of the Section-7 model, and weights that exercise them. */
import { Rng } from '../../src/core/rng.js';
import { initialWeights } from '../../src/experiments/initial-weights.js';
import { shapeFor, type ArchSpec, type TaskSpec } from '../../src/experiments/tasks.js';
import type { TransformerWeights } from '../../src/experiments/weights.js';

/** Initial weights made less tame: larger query/key scales (peaked attention), gains ≠ 1, non-zero biases. */
export function livelyWeights(task: TaskSpec, arch: ArchSpec, seed: number): TransformerWeights {
  const w = initialWeights(shapeFor(task, arch), Rng.fromSeed(seed));
  const rng = Rng.fromSeed(seed + 100);
  for (const l of w.layers) {
    for (const M of [l.Wq, l.Wk]) for (let k = 0; k < M.length; k++) M[k] *= 4;
    for (const b of [l.b1, l.b2]) for (let k = 0; k < b.length; k++) b[k] = 0.3 * rng.normal();
    l.g1 = 1.7;
    l.g2 = 0.6;
  }
  return w;
}

export const CASES: { name: string; task: TaskSpec; arch: ArchSpec }[] = [
  {
    name: 'one layer, full rank, no positions',
    task: { kind: 'farthest', d: 6, n: 5, positional: 'none' },
    arch: { layers: 1, heads: 1, copies: 1, mlpWidth: 12 },
  },
  {
    name: 'rank 2, three heads, c = 3 copies, two layers',
    task: { kind: 'farthest', d: 6, n: 5, positional: 'none' },
    arch: { layers: 2, heads: 3, copies: 3, mlpWidth: 12 },
  },
  {
    name: 'additive positions, three layers',
    task: { kind: 'farthest', d: 4, n: 6, positional: 'additive' },
    arch: { layers: 3, heads: 2, copies: 2, mlpWidth: 8 },
  },
  {
    name: 'concatenated positions (d + N wide, learned readout)',
    task: { kind: 'farthest', d: 4, n: 6, positional: 'concat' },
    arch: { layers: 2, heads: 4, copies: 1, mlpWidth: 8 },
  },
  {
    name: 'released design: learned positions appended (d + 64 wide), output the first d coordinates',
    task: { kind: 'farthest', d: 4, n: 6, positional: 'concat', positionDesign: 'released' },
    arch: { layers: 2, heads: 4, copies: 2, mlpWidth: 8 },
  },
  {
    name: 'released design: additive positions drawn N(−1, 1)',
    task: { kind: 'farthest', d: 4, n: 6, positional: 'additive', positionDesign: 'released' },
    arch: { layers: 1, heads: 2, copies: 1, mlpWidth: 8 },
  },
  {
    name: 'in-context regression (embedding, query readout)',
    task: { kind: 'icl', p: 3, n: 7 },
    arch: { layers: 2, heads: 2, copies: 2, mlpWidth: 8, width: 8 },
  },
];
