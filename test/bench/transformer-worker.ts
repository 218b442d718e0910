/**
 * A worker thread of bench:compare's two-worker transformer row: loads the tfjs backend (the
 * parent's choice, received as workerData, as is the trainer), says 'ready', then trains `steps`
 * steps of the paper's layer per message and answers 'done'.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { inheritSettings } from '../../src/core/thread-settings.js';
import { trainTransformer } from '../../src/experiments/train.js';
import { useBackend } from '../../src/training/backend.js';
import { preferredTrainer } from '../../src/training/trainer-state.js';
import { paperTransformerSpec } from './paper-transformer.js';

const port = parentPort;
if (port === null) throw new Error('transformer-worker runs as a worker thread');
inheritSettings(workerData as Record<string, unknown>);
await useBackend();
port.on('message', (m: { steps: number; seed: number }) => {
  trainTransformer(paperTransformerSpec(m.steps, m.seed, preferredTrainer()));
  port.postMessage('done');
});
port.postMessage('ready');
