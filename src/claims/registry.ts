/** Every claim of the paper rankcheck knows, in report order. */
import { CONJECTURE6_CLAIM } from './conjecture-6.js';
import { DIMENSIONS_CLAIM } from './dimensions.js';
import { FACT1_CLAIM } from './fact-1.js';
import { FIGURE1_CLAIM } from './figure-1.js';
import { FIGURE_N_CLAIM } from './figure-n.js';
import { ICL_CLAIM } from './icl.js';
import { LEARNED_WEIGHTS_CLAIM } from './learned-weights.js';
import { POSITIONAL_CLAIM } from './positional.js';
import { RANDOM_FEATURES_CLAIM } from './random-features.js';
import { THEOREM2_CLAIM } from './theorem-2.js';
import { THEOREM3_CLAIM } from './theorem-3.js';
import { THEOREM5_CLAIM } from './theorem-5.js';
import type { Claim } from './types.js';

export const CLAIMS: readonly Claim[] = [
  FACT1_CLAIM,
  THEOREM2_CLAIM,
  RANDOM_FEATURES_CLAIM,
  THEOREM3_CLAIM,
  THEOREM5_CLAIM,
  CONJECTURE6_CLAIM,
  FIGURE1_CLAIM,
  FIGURE_N_CLAIM,
  POSITIONAL_CLAIM,
  DIMENSIONS_CLAIM,
  ICL_CLAIM,
  LEARNED_WEIGHTS_CLAIM,
];

/** The claim with this id, or undefined. */
export function claimById(id: string): Claim | undefined {
  return CLAIMS.find((c) => c.id === id);
}
