/** Learned weights recover Fact 1's construction (experiments not built yet). */
import { notBuiltClaim } from './types.js';

export const LEARNED_WEIGHTS_CLAIM = notBuiltClaim({
  id: 'learned-weights',
  title: "Training finds Fact 1's construction",
  paperRef: 'arXiv 2407.16153, appendix (learned weights)',
  statement: 'After training one full-rank head on farthest neighbour, K Qᵀ is nearly antiparallel to the identity (about 180°; about 169° with 64 heads): the learned solution is the construction of Fact 1 with the sign flipped.',
  reconstructed: false,
  reason: 'the transformer experiments are not built yet',
});
