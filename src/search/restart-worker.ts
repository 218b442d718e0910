/** Worker-thread entry for the restarts of a counterexample search (see search.ts). */
import { serveChunks } from '../core/parallel.js';
import { runListedRestart } from './search.js';

await serveChunks(runListedRestart);
