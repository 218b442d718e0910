/**
 * Caches whose entries belong to one run (one root seed of an audit): trained models, measured
 * series, draws keyed by a unit's seed. The session empties every one of them when a run ends or
 * the root seed changes, so a 20-seed stability run holds at most one seed's entries, never 20.
 * Caches of pure functions of their key (quadrature rules, series coefficients) are bounded by
 * their key space instead and need not be registered here.
 */
import { currentLedger, type DrawLedger } from './draw-ledger.js';

const scoped = new Set<Map<unknown, unknown>>();

/**
 * A Map that remembers which unit's ledger stored each entry, and notes that ledger in the
 * ledger of any later unit that reads the entry: a unit that reuses another's trained models
 * draws nothing itself, yet its numbers change whenever the other's draws do.
 */
class ScopedCache<K, V> extends Map<K, V> {
  private readonly origins = new Map<K, DrawLedger>();

  override set(key: K, value: V): this {
    const ledger = currentLedger();
    if (ledger !== null) this.origins.set(key, ledger);
    else this.origins.delete(key);
    return super.set(key, value);
  }

  override get(key: K): V | undefined {
    this.noteReuse(key);
    return super.get(key);
  }

  override has(key: K): boolean {
    const found = super.has(key);
    if (found) this.noteReuse(key);
    return found;
  }

  override delete(key: K): boolean {
    this.origins.delete(key);
    return super.delete(key);
  }

  override clear(): void {
    this.origins.clear();
    super.clear();
  }

  private noteReuse(key: K): void {
    const origin = this.origins.get(key);
    if (origin !== undefined) currentLedger()?.addLedger(origin);
  }
}

/** An empty Map registered as run-scoped: endRunScope() clears it; reads of it are noted in the reader's draw ledger. */
export function runScopedCache<K, V>(): Map<K, V> {
  const cache = new ScopedCache<K, V>();
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
