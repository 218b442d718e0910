/** Conjecture 6: no fixed-size low-rank transformer works for every context length (not built yet). */
import { notBuiltClaim } from './types.js';

export const CONJECTURE6_CLAIM = notBuiltClaim({
  id: 'conjecture-6',
  title: 'Low-rank constructions degrade as the context grows',
  paperRef: 'arXiv 2407.16153, Conjecture 6',
  statement: 'No fixed-size low-rank multi-layer transformer approximates the nearest-neighbour target for every N; the constructions degrade as N grows. A conjecture: evidence can support it at tested sizes, not prove it.',
  reconstructed: false,
  reason: 'the long-context experiments are not built yet',
});
