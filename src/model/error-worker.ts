/** Worker-thread entry for Monte Carlo error chunks (see monte-carlo.ts). */
import { serveChunks } from '../core/parallel.js';
import { errorChunk } from './monte-carlo.js';

await serveChunks(errorChunk);
