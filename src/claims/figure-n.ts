/** Figure N: the rank gap widens with the context length (experiments not built yet). */
import { notBuiltClaim } from './types.js';

export const FIGURE_N_CLAIM = notBuiltClaim({
  id: 'figure-n',
  title: 'The gap between low and full rank widens with N',
  paperRef: 'arXiv 2407.16153, Section 7 (context-length sweep)',
  statement: 'With 2 layers and 64 copies, rank-1 models reach MSE ≈ 0.02, 0.63, 0.81, 1.17 for N = 4, 16, 64, 256: the gap to full rank widens with N.',
  reconstructed: false,
  reason: 'the transformer experiments are not built yet',
});
