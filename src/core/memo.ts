/** The value stored under `key`, computed and stored on first use (one computation per process and key). */
export function getOrCompute<K, V>(store: Map<K, V>, key: K, compute: () => V): V {
  if (store.has(key)) return store.get(key) as V;
  const value = compute();
  store.set(key, value);
  return value;
}
