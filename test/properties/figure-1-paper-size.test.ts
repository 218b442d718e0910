import { describe, expect, it } from 'vitest';
import { FIGURE1_PAPER_SIZE_EXPERIMENT, PAPER_SIZE_STEPS } from '../../properties/figure-1/paper-size.js';
import { REGISTRY } from '../../properties/registry.js';
import { experimentName } from '../../src/experiments/experiment-def.js';

describe('figure-1 at the paper’s size (rankcheck experiment figure-1-d64)', () => {
  it('trains one full-rank head against two heads of rank d/2 at d = 64, N = 16, MLP 2048, batch 256, lr 0.01, at standard only', () => {
    const grid = FIGURE1_PAPER_SIZE_EXPERIMENT.grid('standard');
    expect(grid.map((s) => [s.task, s.arch.layers, s.arch.heads, s.arch.copies, s.arch.mlpWidth])).toEqual([
      [{ kind: 'farthest', d: 64, n: 16, positional: 'none' }, 1, 1, 1, 2048],
      [{ kind: 'farthest', d: 64, n: 16, positional: 'none' }, 1, 2, 1, 2048],
    ]);
    for (const s of grid) expect(s.recipe).toMatchObject({ steps: PAPER_SIZE_STEPS, batch: 256, learningRate: 0.01 });
    expect(FIGURE1_PAPER_SIZE_EXPERIMENT.grid('quick')).toEqual([]);
    expect(FIGURE1_PAPER_SIZE_EXPERIMENT.grid('paper')).toEqual([]);
  });

  it('is known by its own name and decides the figure-1 claim’s one-layer rule', () => {
    expect(REGISTRY.experiments.map(experimentName)).toContain('figure-1-d64');
    expect(FIGURE1_PAPER_SIZE_EXPERIMENT.claim).toBe('figure-1');
  });
});
