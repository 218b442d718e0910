import { describe, expect, it } from 'vitest';
import { seededStreams, type TrainSpec } from '../../src/experiments/train-spec.js';

const spec = (seed: number, seeding: TrainSpec['seeding']): TrainSpec => ({
  task: { kind: 'farthest', d: 4, n: 2, positional: 'none' } as TrainSpec['task'],
  arch: {} as TrainSpec['arch'],
  steps: 70,
  batch: 8,
  learningRate: 0.01,
  seed,
  seeding,
});
/** A generator's identity: its first draws. */
const first = (r: { nextDouble(): number }) => [r.nextDouble(), r.nextDouble()];

describe('the paper’s seeding', () => {
  it('starts every data seed from one initialisation; independent seeds start from their own', () => {
    expect(first(seededStreams(spec(0, 'paper')).init)).toEqual(first(seededStreams(spec(3, 'paper')).init));
    expect(first(seededStreams(spec(1, 'independent')).init)).not.toEqual(
      first(seededStreams(spec(2, 'independent')).init),
    );
  });

  it('serves data seed s + 1 the batches of seed s one step later, except where a loader round wraps (6 of 7 streams shared)', () => {
    const a = seededStreams(spec(0, 'paper')).batchRng;
    const b = seededStreams(spec(1, 'paper')).batchRng;
    for (let t = 0; t < 69; t++) {
      if (t % 7 === 6) expect(first(b(t))).not.toEqual(first(a(t + 1)));
      else expect(first(b(t))).toEqual(first(a(t + 1)));
    }
  });

  it('gives independent seeds no batch in common', () => {
    const a = seededStreams(spec(1, 'independent')).batchRng;
    const b = seededStreams(spec(2, 'independent')).batchRng;
    const seen = new Set(Array.from({ length: 70 }, (_, t) => first(a(t)).join()));
    for (let t = 0; t < 70; t++) expect(seen.has(first(b(t)).join())).toBe(false);
  });
});
