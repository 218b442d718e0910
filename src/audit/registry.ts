/** What the composition root hands the tool: the claims it audits and the experiments it trains (properties/registry.ts). */
import type { Claim } from '../core/vocabulary.js';
import type { ExperimentDef } from '../experiments/experiment-def.js';

export interface Registry {
  claims: readonly Claim[];
  experiments: readonly ExperimentDef[];
  /** The module that exports this value as REGISTRY, for worker threads that run units (import.meta.url). */
  moduleUrl?: string;
}

/** The claim with this id, or undefined. */
export function claimById(registry: Registry, id: string): Claim | undefined {
  return registry.claims.find((c) => c.id === id);
}
