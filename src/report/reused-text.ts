/** How a report says that a check reused other units' results (shared trainings are one piece of evidence). */

/** The sentence under a check that reused the cached results of `units`. */
export function reusedText(units: readonly string[]): string {
  return `Reuses results of ${units.join(', ')}: what they share (the same trainings or draws) is one piece of evidence, not independent confirmation.`;
}
