/** Worker-thread entry for independent training jobs (see jobs.ts). */
import { serveChunks } from '../core/parallel.js';
import { runListedJob } from './jobs.js';

await serveChunks(runListedJob);
