/** Dimension sweep (experiments not built yet). */
import { notBuiltClaim } from './types.js';

export const DIMENSIONS_CLAIM = notBuiltClaim({
  id: 'dimensions',
  title: 'The rank gap persists across embedding dimensions',
  paperRef: 'arXiv 2407.16153, Section 7 (dimension sweep)',
  statement: 'For d ∈ {16, 64, 128, 256} with 2 layers and 8 copies, fewer heads of higher rank (H ∈ 1..16) do better at equal parameter count.',
  reconstructed: false,
  reason: 'the transformer experiments are not built yet',
});
