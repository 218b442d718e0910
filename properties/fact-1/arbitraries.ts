/** The generators and small helpers Fact 1's properties share. */
import fc from 'fast-check';
import type { ContextDistribution } from '../../src/core/sphere.js';

export const NEAREST = { kind: 'nearest' } as const;

// β is log-uniform: the interesting behaviour spans nine decades.
export { logUniform } from '../support/real-arbitraries.js';
export const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });
export const distArb = fc.constantFrom<ContextDistribution>('ortho', 'unif');
/** N in [1, maxN], folded into [1, d] for D_N, which needs N ≤ d. */
export const fitN = (n: number, d: number, dist: ContextDistribution) => (dist === 'ortho' ? 1 + ((n - 1) % d) : n);
