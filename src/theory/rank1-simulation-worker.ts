/** Worker-thread entry of simulateRank1ErrorsOnWorkers (rank1-simulation.ts). */
import { serveChunks } from '../core/parallel.js';
import { scoreRoundPiece } from './rank1-simulation.js';

await serveChunks(scoreRoundPiece);
