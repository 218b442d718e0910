#!/usr/bin/env node
// The compiled CLI lives in dist/ (built by `npm ci` / `npm install` through the prepare script).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/src/cli/run.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('rankcheck: the build is missing; run "npm run build" in the rankcheck directory\n');
  process.exit(2);
}
await import(entry.href);
