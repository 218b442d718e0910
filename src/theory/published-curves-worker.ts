/** Worker-thread entry of publishedCurves (published-curves.ts). */
import { serveChunks } from '../core/parallel.js';
import { publishedCurve } from './published-curves.js';

await serveChunks(publishedCurve);
