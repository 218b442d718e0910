/**
 * Which trainer this thread uses for every model it trains (the Section-7 transformers and the
 * search's attention layers): 'fused' (experiments/train-fused.ts and search/train-fused.ts, the
 * default: the whole step in WebAssembly, several times faster on the audit's small models) or
 * 'tfjs' (the reference; the two agree to float32 tolerance, not bit for bit). Kept apart from the
 * trainers so that the CLI can set it without loading them; workers inherit it.
 */
import { inheritedByWorkers } from '../core/thread-settings.js';

export type TrainerName = 'tfjs' | 'fused';
export const TRAINERS: readonly TrainerName[] = ['tfjs', 'fused'];

let preferred: TrainerName = 'fused';

/** The trainer of every model trained on this thread and its workers from now on. */
export function preferTrainer(name: TrainerName): void {
  if (!TRAINERS.includes(name)) throw new RangeError(`unknown trainer "${name}" (expected ${TRAINERS.join(', ')})`);
  preferred = name;
}

/** The trainer preferTrainer set ('fused' by default). */
export function preferredTrainer(): TrainerName {
  return preferred;
}

inheritedByWorkers('transformer-trainer', preferredTrainer, preferTrainer);
