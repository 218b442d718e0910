/** The experiments `rankcheck experiment NAME` can run: the experiment claims by claim id, and figure-1-d64 (figure-1's one-layer part at the paper's size). */
import type { ExperimentDef } from '../../src/experiments/experiment-def.js';
import { DIMENSIONS_EXPERIMENT } from '../dimensions/claim.js';
import { FIGURE1_EXPERIMENT } from '../figure-1/claim.js';
import { FIGURE1_PAPER_SIZE_EXPERIMENT } from '../figure-1/paper-size.js';
import { FIGURE_N_EXPERIMENT } from '../figure-n/claim.js';
import { ICL_EXPERIMENT } from '../icl/claim.js';
import { LEARNED_WEIGHTS_EXPERIMENT } from '../learned-weights/claim.js';
import { POSITIONAL_EXPERIMENT } from '../positional/claim.js';

export const EXPERIMENTS: readonly ExperimentDef[] = [
  FIGURE1_EXPERIMENT,
  FIGURE1_PAPER_SIZE_EXPERIMENT,
  FIGURE_N_EXPERIMENT,
  POSITIONAL_EXPERIMENT,
  DIMENSIONS_EXPERIMENT,
  ICL_EXPERIMENT,
  LEARNED_WEIGHTS_EXPERIMENT,
];
