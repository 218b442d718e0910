/** Positional encodings: concatenated help low rank, additive do not (experiments not built yet). */
import { notBuiltClaim } from './types.js';

export const POSITIONAL_CLAIM = notBuiltClaim({
  id: 'positional',
  title: 'Concatenated positional encodings rescue low rank at depth, additive ones do not',
  paperRef: 'arXiv 2407.16153, Section 7 (positional encodings)',
  statement: 'At 3 layers, concatenated positional encodings bring low-rank models close to full rank (rank 4 ≈ 5e−3), additive ones do not — consistent with Theorem 5.',
  reconstructed: false,
  reason: 'the transformer experiments are not built yet',
});
