/** Theorem 3: exponential separation at constant error (reconstructed; checks not built yet). */
import { notBuiltClaim } from './types.js';

export const THEOREM3_CLAIM = notBuiltClaim({
  id: 'theorem-3',
  title: 'Exponential separation at constant error',
  paperRef: 'arXiv 2407.16153, Theorem 3',
  statement:
    'A target made of 2d² + 1 biased nearest-neighbour functions (Gaussian queries, biases inside the softmax) is approximated by O(d²) full-rank heads, while rank-r attention has error above 1/40 unless d·H·max_h‖V_h‖² ≥ exp(c(d − r)). Reconstructed: the exact target family and the constant c were not available to us; the checks will implement the documented family and say so.',
  reconstructed: true,
  reason: 'the Theorem-3 target family, its full-rank construction and the trained low-rank models are not built yet',
});
