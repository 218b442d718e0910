/** Figure 1: MSE against rank for 1, 3 and 5 layers (experiments not built yet). */
import { notBuiltClaim } from './types.js';

export const FIGURE1_CLAIM = notBuiltClaim({
  id: 'figure-1',
  title: 'Full rank beats every lower rank on farthest neighbour',
  paperRef: 'arXiv 2407.16153, Section 7, Figure 1',
  statement:
    'Standard transformers (d = 64, N = 16, farthest-neighbour task): with one layer the full-rank model beats every rank below d at every parameter count (c = 1, 8, 64 copies) by a wide margin; with 3 and 5 layers the gap narrows but full rank still wins.',
  reconstructed: false,
  reason: 'the transformer experiments are not built yet',
});
