/** The experiment claims `rankcheck experiment NAME` can run, by claim id. */
import { DIMENSIONS_EXPERIMENT } from './dimensions.js';
import type { ExperimentDef } from './experiment-support.js';
import { FIGURE1_EXPERIMENT } from './figure-1.js';
import { FIGURE_N_EXPERIMENT } from './figure-n.js';
import { ICL_EXPERIMENT } from './icl.js';
import { LEARNED_WEIGHTS_EXPERIMENT } from './learned-weights.js';
import { POSITIONAL_EXPERIMENT } from './positional.js';

export const EXPERIMENTS: readonly ExperimentDef[] = [FIGURE1_EXPERIMENT, FIGURE_N_EXPERIMENT, POSITIONAL_EXPERIMENT, DIMENSIONS_EXPERIMENT, ICL_EXPERIMENT, LEARNED_WEIGHTS_EXPERIMENT];

/** The experiment of claim `id`, or undefined. */
export function experimentById(id: string): ExperimentDef | undefined {
  return EXPERIMENTS.find((e) => e.claim === id);
}
