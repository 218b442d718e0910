/** Theorem 5: depth rescues low rank for N = 2 (checks not built yet). */
import { notBuiltClaim } from './types.js';

export const THEOREM5_CLAIM = notBuiltClaim({
  id: 'theorem-5',
  title: 'Two layers of rank-1 heads with concatenated positions suffice for N = 2',
  paperRef: 'arXiv 2407.16153, Theorem 5',
  statement:
    'For N = 2, a two-layer network of rank-1 heads with concatenated (not additive) positional encodings and polynomially many heads approximates the nearest-neighbour target, by a majority vote of random heads whose mean vote has the sign of ⟨w, y⟩.',
  reconstructed: false,
  reason: 'the two-layer majority-vote construction is not built yet',
});
