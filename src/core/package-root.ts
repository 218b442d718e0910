/**
 * The package's own files at run time (package.json, reference fixtures), found from the sources
 * (tests) and from dist/ alike by searching upwards for rankcheck's package.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The directory holding rankcheck's package.json, searched upwards from this module. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (
      existsSync(candidate) &&
      (JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === 'rankcheck'
    )
      return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the rankcheck package root');
    dir = up;
  }
}

/** rankcheck's own version (package.json). */
export function toolVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
