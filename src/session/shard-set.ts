/**
 * The one check before shards are merged, for reports and stability files alike: every document
 * is a shard of the same run (same shard count, same run, same tool version), and every shard
 * 1…n is there exactly once; the problem names every missing and every repeated shard.
 */

/** Shard i of n (1-based). */
export interface Shard {
  index: number;
  count: number;
}

/** What the check reads of one document. */
export interface ShardDocument {
  path: string;
  shard: Shard | null;
  /** What must agree across the shards of one run (budget and seed, or budget and seeds). */
  run: string;
  version: string;
}

/** How the documents are spoken of ("report", "budget and seed"). */
export interface ShardWords {
  document: string;
  run: string;
}

/** Why these documents cannot be merged, naming the offending file or shards; null when they can. */
export function shardSetProblem(docs: readonly ShardDocument[], words: ShardWords): string | null {
  if (docs.length === 0) return `no shard ${words.document}s given`;
  const first = docs[0];
  const count = first.shard?.count ?? 0;
  for (const d of docs) {
    if (d.shard === null) return `${d.path} is not the ${words.document} of a shard`;
    if (d.shard.count !== count) return `${d.path} is of ${d.shard.count} shards, not ${count}`;
    if (d.run !== first.run) return `${d.path} has another ${words.run} than ${first.path}`;
    if (d.version !== first.version) return `${d.path} was made by rankcheck ${d.version}, not ${first.version}`;
  }
  const seen = new Map<number, string[]>();
  for (const d of docs) seen.set(d.shard!.index, [...(seen.get(d.shard!.index) ?? []), d.path]);
  const missing = Array.from({ length: count }, (_, k) => k + 1).filter((i) => !seen.has(i));
  const repeated = [...seen].filter(([, paths]) => paths.length > 1).sort(([a], [b]) => a - b);
  const problems = [
    ...(missing.length ? [`shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${count} missing`] : []),
    ...repeated.map(([i, paths]) => `shard ${i} given ${paths.length} times (${paths.join(', ')})`),
  ];
  return problems.length ? problems.join('; ') : null;
}
