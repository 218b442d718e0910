import { describe, expect, it } from 'vitest';
import { reachAt } from '../../src/core/reach.js';
import type { Reach } from '../../src/core/vocabulary.js';

const REACH: Reach = {
  rows: [
    { quantity: 'd', paper: '64', tested: (b) => (b === 'paper' ? '64' : '8') },
    { quantity: 'layers', paper: '3, 5', tested: (b) => (b === 'paper' ? '3, 5' : null) },
  ],
  numbers: [
    {
      label: 'MSE',
      paper: 0.015,
      source: 'Figure 1',
      check: 'c',
      ours: (b) => ({ metric: `mse_${b}`, setting: b === 'paper' ? 'same setting' : 'scaled down' }),
    },
    {
      label: 'angle to +I',
      paper: 180,
      source: 'appendix',
      check: 'c',
      ours: () => ({ metric: 'toMinusI', setting: 'same setting', transform: (x) => 180 - x }),
    },
    {
      label: 'only at paper',
      paper: 1,
      source: 's',
      check: 'c',
      ours: (b) => (b === 'paper' ? { metric: 'p', setting: 'same setting' } : null),
    },
  ],
};

describe('a claim’s reach at a budget', () => {
  const metrics: Record<string, number> = { mse_quick: 0.06, toMinusI: 0.5, p: 2 };
  const at = (budget: 'quick' | 'paper') =>
    reachAt(REACH, budget, (check, m) => (check === 'c' ? (metrics[m] ?? null) : null));

  it('states each quantity of the paper’s setting beside the budget’s, null where the budget runs none', () => {
    expect(at('quick').rows).toEqual([
      { quantity: 'd', paper: '64', tested: '8' },
      { quantity: 'layers', paper: '3, 5', tested: null },
    ]);
  });

  it('puts our metric from the run’s own record beside the paper’s number, in the paper’s terms', () => {
    const [mse, angle, paperOnly] = at('quick').numbers;
    expect(mse).toMatchObject({ ours: 0.06, metric: 'mse_quick', setting: 'scaled down' });
    expect(angle.ours).toBe(179.5);
    expect(paperOnly).toMatchObject({ ours: null, metric: null, setting: null });
  });

  it('leaves ours empty when the record lacks the metric, never a NaN', () => {
    expect(at('paper').numbers[0]).toMatchObject({ ours: null, metric: 'mse_paper', setting: 'same setting' });
  });
});
