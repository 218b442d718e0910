/**
 * A worker of runChunks that answers every chunk with the numerics this thread uses: the kernel
 * set of a freshly made layer, the evaluator's label and the preferred tfjs backend (the probe of
 * attention-kernels.test.ts; it runs compiled, from dist/).
 */
import { serveChunks } from '../../src/core/parallel.js';
import { Rng } from '../../src/core/rng.js';
import { randomAttention } from '../../src/model/constructions.js';
import { float64Label } from '../../src/model/evaluator.js';
import { preferredBackend } from '../../src/training/backend-state.js';

await serveChunks(() => ({
  evaluator: randomAttention(Rng.fromSeed(0), 4, 2, 2).evaluator,
  label: float64Label(),
  backend: preferredBackend(),
}));
