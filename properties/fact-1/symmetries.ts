/**
 * Fact 1's equivariance properties: permuting the context or rotating every input leaves the
 * construction's output and error unchanged, with the sentinels (a positional score, a random
 * rank-1 layer) they must reject.
 */
import fc from 'fast-check';
import { defineProperty, propertyCheck } from '../../src/audit/property-check.js';
import { Rng } from '../../src/core/rng.js';
import { sampleContexts, sampleOrthogonalMatrix } from '../../src/core/sphere.js';
import type { CheckDef } from '../../src/core/vocabulary.js';
import { MultiHeadAttention, type AttentionSpec } from '../../src/model/attention.js';
import { fullRankHead, randomAttention } from '../../src/model/constructions.js';
import { batchErrors } from '../../src/model/monte-carlo.js';
import { distArb, fitN, logUniform, NEAREST, seedArb } from './arbitraries.js';

/** SENTINEL: the construction with a score that also adds 0.5·i (a positional bias). */
function positionalHead(d: number, beta: number): MultiHeadAttention {
  const base = fullRankHead(d, beta).spec;
  const spec: AttentionSpec = {
    ...base,
    heads: base.heads.map((h) => ({
      ...h,
      score: (p: Float64Array, X: Float64Array, o: number, i: number) => {
        let s = 0;
        for (let k = 0; k < d; k++) s += p[k] * X[o + k];
        return s + 0.5 * i;
      },
    })),
  };
  return new MultiHeadAttention(spec);
}

// Outputs are sums of N ≤ 32 weighted unit vectors; reordering or rotating changes rounding by
// ≈ N·d·ε ≈ 1e-13, and the error's sensitivity to score rounding is ≈ β·d·ε: with β ≤ 100 and
// d ≤ 32 a 1e-12 tolerance is met by a correct layer and missed by any real change.
const EQUIV_TOL = 1e-12;

type LayerMaker = (rng: Rng, d: number, beta: number) => MultiHeadAttention;

/** One equivariance case: a layer, a batch of 64 contexts, and the generator the transform draws from next. */
interface SymmetryCase {
  rng: Rng;
  layer: MultiHeadAttention;
  batch: { X: Float64Array; Y: Float64Array };
  d: number;
  n: number;
  size: number;
}

/** A property over d ∈ [3, 32], N ∈ [2, 16], every distribution and β ∈ [1e-3, 100]: `same` must hold for the case. */
function symmetryProperty(make: LayerMaker, same: (c: SymmetryCase) => boolean) {
  return fc.property(
    fc.integer({ min: 3, max: 32 }),
    fc.integer({ min: 2, max: 16 }),
    distArb,
    logUniform(1e-3, 100),
    seedArb,
    (d, nRaw, dist, beta, seed) => {
      const n = Math.max(2, fitN(nRaw, d, dist));
      const rng = Rng.fromSeed(seed);
      const layer = make(rng.splitNamed('layer'), d, beta);
      const size = 64;
      return same({ rng, layer, batch: sampleContexts(rng, dist, { d, n, size }), d, n, size });
    },
  );
}

/** Entrywise equal to EQUIV_TOL. */
const within = (a: Float64Array, b: Float64Array) => a.every((v, i) => Math.abs(v - b[i]) <= EQUIV_TOL);

function permutationInvariant(make: LayerMaker) {
  return symmetryProperty(make, ({ rng, layer, batch, d, n, size }) => {
    const perm = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = rng.nextInt(i + 1);
      [perm[i], perm[j]] = [perm[j], perm[i]];
    }
    const Xp = new Float64Array(batch.X.length);
    for (let b = 0; b < size; b++)
      for (let i = 0; i < n; i++)
        Xp.set(batch.X.subarray((b * n + perm[i]) * d, (b * n + perm[i] + 1) * d), (b * n + i) * d);
    const out = layer.evaluate(batch.X, batch.Y, { size, n, m: 1 });
    const outP = layer.evaluate(Xp, batch.Y, { size, n, m: 1 });
    const e = batchErrors(layer, NEAREST, { X: batch.X, Y: batch.Y, size, n });
    const eP = batchErrors(layer, NEAREST, { X: Xp, Y: batch.Y, size, n });
    return within(out, outP) && within(e, eP);
  });
}

const permutationInvariance = defineProperty({
  name: 'permutation-invariance',
  kind: 'exact',
  description: 'Permuting the context changes neither the output nor the error of the construction (to 1e-12).',
  runs: { quick: 40, standard: 200, paper: 800 },
  perCase: '64 samples',
  sentinels: { 'positional-score': 'a head whose score adds 0.5·i (a positional bias)' },
  property: (sentinel) =>
    permutationInvariant(
      sentinel === 'positional-score' ? (_r, d, b) => positionalHead(d, b) : (_r, d, b) => fullRankHead(d, b),
    ),
});

const permutationInvarianceRandomLayers = defineProperty({
  name: 'permutation-invariance-random-layers',
  kind: 'exact',
  description: 'Permutation invariance holds for every attention layer: random rank-2, 3-head layers (to 1e-12).',
  runs: { quick: 40, standard: 200, paper: 800 },
  perCase: '64 samples',
  sentinels: { 'positional-score': 'the same positional head, in place of the random layers' },
  property: (sentinel) =>
    permutationInvariant(
      sentinel === 'positional-score'
        ? (_r, d, b) => positionalHead(d, b)
        : (rng, d) => randomAttention(rng, d, 2, 3, 'softmax', 3),
    ),
});

function rotationInvariant(make: LayerMaker) {
  return symmetryProperty(make, ({ rng, layer, batch, d, n, size }) => {
    const R = sampleOrthogonalMatrix(rng, d);
    const rotate = (src: Float64Array) => {
      const out = new Float64Array(src.length);
      for (let v = 0; v < src.length / d; v++) {
        for (let k = 0; k < d; k++) {
          let s = 0;
          for (let j = 0; j < d; j++) s += R[k * d + j] * src[v * d + j];
          out[v * d + k] = s;
        }
      }
      return out;
    };
    const e = batchErrors(layer, NEAREST, { X: batch.X, Y: batch.Y, size, n });
    const eR = batchErrors(layer, NEAREST, { X: rotate(batch.X), Y: rotate(batch.Y), size, n });
    return within(e, eR);
  });
}

const rotationInvariance = defineProperty({
  name: 'rotation-invariance',
  kind: 'exact',
  description: "Rotating every input by one Haar rotation leaves each sample's error unchanged (to 1e-12, β ≤ 100).",
  runs: { quick: 40, standard: 200, paper: 800 },
  perCase: '64 samples',
  sentinels: { 'random-rank-1': 'a random rank-1 layer, which is not rotation equivariant' },
  property: (sentinel) =>
    rotationInvariant(
      sentinel === 'random-rank-1'
        ? (rng, d) => randomAttention(rng, d, 1, 1, 'softmax', 5)
        : (_r, d, b) => fullRankHead(d, b),
    ),
});

/** The equivariance checks, in report order. */
export const SYMMETRY_CHECKS: CheckDef[] = [
  propertyCheck(permutationInvariance),
  propertyCheck(permutationInvarianceRandomLayers),
  propertyCheck(rotationInvariance),
];
