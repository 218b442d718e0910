/** Worker-thread entry for the trainings of an experiment grid (see runs.ts). */
import { serveChunks } from '../core/parallel.js';
import { trainAndScore, type RunTask } from './runs.js';

await serveChunks((tasks: RunTask[], index: number) => trainAndScore(tasks[index]));
