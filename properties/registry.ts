/**
 * The one entry point of the claims: every claim of the paper rankcheck knows, in report order,
 * and the experiment claims `rankcheck experiment` trains. The composition root (bin/rankcheck.js)
 * hands this value to the CLI; nothing in src/ imports it.
 */
import type { Registry } from '../src/audit/registry.js';
import { CONJECTURE6_CLAIM } from './conjecture-6/claim.js';
import { DIMENSIONS_CLAIM } from './dimensions/claim.js';
import { FACT1_CLAIM } from './fact-1/claim.js';
import { FIGURE1_CLAIM } from './figure-1/claim.js';
import { FIGURE_N_CLAIM } from './figure-n/claim.js';
import { ICL_CLAIM } from './icl/claim.js';
import { LEARNED_WEIGHTS_CLAIM } from './learned-weights/claim.js';
import { POSITIONAL_CLAIM } from './positional/claim.js';
import { RANDOM_FEATURES_CLAIM } from './random-features/claim.js';
import { EXPERIMENTS } from './support/experiment-registry.js';
import { THEOREM2_CLAIM } from './theorem-2/claim.js';
import { THEOREM3_CLAIM } from './theorem-3/claim.js';
import { THEOREM5_CLAIM } from './theorem-5/claim.js';

export const REGISTRY: Registry = {
  claims: [
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
  ],
  experiments: EXPERIMENTS,
  moduleUrl: import.meta.url,
};
