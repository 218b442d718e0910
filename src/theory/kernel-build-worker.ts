/** Worker-thread entry of kernelMatrixParallel (kernel-build.ts): builds its share of the rows, then says so. */
import { parentPort, workerData } from 'node:worker_threads';
import { buildKernelRows, type KernelBuildTask } from './kernel-build.js';

buildKernelRows(workerData as KernelBuildTask);
parentPort?.postMessage('done');
