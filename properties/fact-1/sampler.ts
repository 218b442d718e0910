/**
 * The D_N sampler is Haar: a statistical property with the sentinel it must reject, the Q factor of
 * a QR factorisation without the sign fix (how the paper's released code draws D_N).
 */
import fc from 'fast-check';
import { defineProperty, propertyCheck } from '../../src/audit/property-check.js';
import { Rng } from '../../src/core/rng.js';
import { qrFrameWithoutSignFix } from '../support/sentinel-samplers.js';
import { incompleteBeta } from '../../src/core/special.js';
import { sampleOrthoFrame, sampleSphere, sphereCoordinateCdf, type FrameSampler } from '../../src/core/sphere.js';
import { binomialTest, ksTest } from '../../src/core/stats.js';
import type { CheckDef } from '../../src/core/vocabulary.js';
import { seedArb } from './arbitraries.js';

const FRAMES = 2000;

/**
 * For every coordinate axis and one random direction u: each column's coordinate ⟨u, x_j⟩ has the
 * sphere's marginal law (KS) and a symmetric sign (exact binomial test), and the energy
 * Σ_j ⟨u, x_j⟩² of u in the frame's span is Beta(n/2, (d−n)/2) (KS); Bonferroni to 1e-6 per case.
 */
function frameIsHaar(sampler: FrameSampler, observe: (e: Record<string, number>) => void) {
  return fc.property(fc.integer({ min: 2, max: 12 }), fc.integer({ min: 1, max: 12 }), seedArb, (d, nRaw, seed) => {
    const n = 1 + ((nRaw - 1) % d);
    const rng = Rng.fromSeed(seed);
    const frames = new Float64Array(FRAMES * n * d);
    for (let f = 0; f < FRAMES; f++) sampler(rng, d, n, frames, f * n * d);
    const directions: Float64Array[] = [];
    for (let k = 0; k < d; k++) {
      const e = new Float64Array(d);
      e[k] = 1;
      directions.push(e);
    }
    const u = new Float64Array(d);
    sampleSphere(rng, d, u);
    directions.push(u);
    const tests = directions.length * (2 * n + (n < d ? 1 : 0));
    const alpha = 1e-6 / tests;
    let smallestP = 1;
    for (const dir of directions) {
      const energy = new Float64Array(FRAMES);
      for (let j = 0; j < n; j++) {
        const coord = new Float64Array(FRAMES);
        let positive = 0;
        for (let f = 0; f < FRAMES; f++) {
          let s = 0;
          for (let k = 0; k < d; k++) s += dir[k] * frames[(f * n + j) * d + k];
          coord[f] = s;
          energy[f] += s * s;
          if (s > 0) positive++;
        }
        smallestP = Math.min(
          smallestP,
          ksTest(coord, (t) => sphereCoordinateCdf(d, t)).pValue,
          binomialTest(positive, FRAMES, 0.5).pValue,
        );
      }
      if (n < d)
        smallestP = Math.min(
          smallestP,
          ksTest(energy, (s) => incompleteBeta(Math.min(1, Math.max(0, s)), n / 2, (d - n) / 2)).pValue,
        );
    }
    observe({
      smallestPValueTimesTests: smallestP * tests,
      log10PValueHeadroom: Math.log10(Math.max(smallestP, 1e-300) / alpha),
    });
    return smallestP >= alpha;
  });
}

const orthoSamplerIsHaar = defineProperty({
  name: 'ortho-sampler-is-haar',
  kind: 'statistical',
  description:
    'The D_N sampler draws Haar frames: along every axis and a random direction, coordinates have the sphere marginal (KS), symmetric signs (binomial) and the span energy is Beta(n/2, (d−n)/2) (KS).',
  runs: { quick: 30, standard: 100, paper: 300 },
  perCase: '2 000 frames',
  level: 1 - 1e-6,
  margin: {
    observation: 'log10PValueHeadroom',
    unit: 'decades between the smallest p-value and its rejection threshold 1e-6/tests',
  },
  sentinels: {
    'qr-without-sign-fix':
      'D_N drawn as the Q of a Householder QR without the sign fix (how the paper’s code draws it)',
  },
  property: (sentinel, _budget, observe) =>
    frameIsHaar(sentinel === 'qr-without-sign-fix' ? qrFrameWithoutSignFix : sampleOrthoFrame, observe),
});

/** The sampler check. */
export const SAMPLER_CHECKS: CheckDef[] = [propertyCheck(orthoSamplerIsHaar)];
