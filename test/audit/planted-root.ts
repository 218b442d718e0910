/** A composition root for tests: the CLI with the planted-failure registry (run compiled, from dist/). */
import { main } from '../../src/cli/main.js';
import { PLANTED_REGISTRY } from './planted-failure.js';

process.exitCode = await main(process.argv.slice(2), PLANTED_REGISTRY);
