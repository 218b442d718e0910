/** Worker-thread entry of boundLogHeadsOnWorkers (rank-scaling.ts). */
import { serveChunks } from '../core/parallel.js';
import { logHeadsChunk } from './rank-scaling.js';

await serveChunks(logHeadsChunk);
