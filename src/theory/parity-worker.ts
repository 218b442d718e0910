/** Worker-thread entry of parityConstructionErrors (parity-construction.ts). */
import { serveChunks } from '../core/parallel.js';
import { parityCaseError } from './parity-construction.js';

await serveChunks(parityCaseError);
