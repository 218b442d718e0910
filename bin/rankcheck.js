#!/usr/bin/env node
// The composition root: the one place that joins the claims (properties/) to the tool (src/).
// The compiled code lives in dist/ (built by `npm ci` / `npm install` through the prepare script).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/src/cli/main.js', import.meta.url);
const registry = new URL('../dist/properties/registry.js', import.meta.url);
if (!existsSync(cli) || !existsSync(registry)) {
  process.stderr.write('rankcheck: the build is missing; run "npm run build" in the rankcheck directory\n');
  process.exit(2);
}
const [{ main }, { REGISTRY }] = await Promise.all([import(cli.href), import(registry.href)]);
process.exitCode = await main(process.argv.slice(2), REGISTRY);
