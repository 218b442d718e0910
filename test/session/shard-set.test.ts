import { describe, expect, it } from 'vitest';
import { shardSetProblem, type ShardDocument } from '../../src/session/shard-set.js';

const WORDS = { document: 'report', run: 'budget or seed' };
const doc = (index: number, count = 4, run = 'quick/0', version = '1'): ShardDocument => ({
  path: `shard-${index}.json`,
  shard: { index, count },
  run,
  version,
});

describe('the check before shards are merged', () => {
  it('accepts each of shards 1…n exactly once, in any order', () => {
    expect(shardSetProblem([doc(3), doc(1), doc(4), doc(2)], WORDS)).toBeNull();
  });

  it('names every missing shard and every repeated one, with the files that repeat it', () => {
    expect(shardSetProblem([doc(1), doc(3), doc(3)], WORDS)).toBe(
      'shards 2, 4 of 4 missing; shard 3 given 2 times (shard-3.json, shard-3.json)',
    );
  });

  it('refuses a document that is not a shard, or of another run, count or version, naming the file', () => {
    expect(shardSetProblem([doc(1), { ...doc(2), shard: null }], WORDS)).toMatch(
      /shard-2.json is not the report of a shard/,
    );
    expect(shardSetProblem([doc(1), doc(2, 3)], WORDS)).toMatch(/shard-2.json is of 3 shards, not 4/);
    expect(shardSetProblem([doc(1), doc(2, 4, 'quick/1')], WORDS)).toMatch(/another budget or seed than shard-1.json/);
    expect(shardSetProblem([doc(1), doc(2, 4, 'quick/0', '2')], WORDS)).toMatch(/made by rankcheck 2, not 1/);
    expect(shardSetProblem([], WORDS)).toBe('no shard reports given');
  });
});
