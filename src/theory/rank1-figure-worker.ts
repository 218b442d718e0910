/** Worker-thread entry of rank1FigureOnWorkers (rank1-figure.ts). */
import { serveChunks } from '../core/parallel.js';
import { figureCurveChunk } from './rank1-figure.js';

await serveChunks(figureCurveChunk);
