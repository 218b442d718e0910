/**
 * Caches whose entries belong to one run (one root seed of an audit): trained models, measured
 * series, draws keyed by a unit's seed. The session empties every one of them when a run ends or
 * the root seed changes, so a 20-seed stability run holds at most one seed's entries, never 20.
 * Caches of pure functions of their key (quadrature rules, series coefficients) are bounded by
 * their key space instead and need not be registered here.
 */
const scoped = new Set<Map<unknown, unknown>>();

/** An empty Map registered as run-scoped: endRunScope() clears it. */
export function runScopedCache<K, V>(): Map<K, V> {
  const cache = new Map<K, V>();
  scoped.add(cache as Map<unknown, unknown>);
  return cache;
}

/** Empties every run-scoped cache (called by the session between runs). */
export function endRunScope(): void {
  for (const cache of scoped) cache.clear();
}

/** Entries held by run-scoped caches right now (for tests of the scoping). */
export function runScopedEntries(): number {
  let n = 0;
  for (const cache of scoped) n += cache.size;
  return n;
}
