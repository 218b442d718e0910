/** The stability file of a set of records: pure, so resumed and merged runs give the file of one run. */
import { stabilityUnits, summariseStability, type StabilityRecord } from '../audit/stability.js';
import type { Budget, Claim } from '../core/vocabulary.js';
import { backendLabel } from './backend-label.js';
import type { Provenance } from './schema.js';
import { STABILITY_SCHEMA_VERSION, validateStabilityFile, type StabilityFile } from './stability-schema.js';

/** The stability file of these records at this budget and these root seeds, validated. */
export function assembleStability(
  claims: readonly Claim[],
  budget: Budget,
  seeds: readonly number[],
  provenance: Provenance,
  version: string,
  records: readonly StabilityRecord[],
): StabilityFile {
  const expected = stabilityUnits(claims, budget, seeds).map((u) => u.id);
  const byId = new Map(records.map((r) => [r.id, r]));
  const ordered = expected.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  return validateStabilityFile({
    schemaVersion: STABILITY_SCHEMA_VERSION,
    kind: 'rankcheck-stability',
    tool: { name: 'rankcheck', version },
    provenance: {
      ...provenance,
      backend: backendLabel(
        records.map((r) => r.ranOn),
        provenance.backend,
      ),
    },
    expectedUnits: expected,
    partial: ordered.length < expected.length,
    records: ordered,
    summary: summariseStability(claims, budget, seeds, ordered),
  });
}
