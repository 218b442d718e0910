/**
 * The README's diagram, enforced: data flows one way through src/ (core → model → theory /
 * training → search / experiments → audit → report → session → cli), src/ knows no claim (it imports
 * nothing from properties/ or test/), the claims in properties/ import src/ only (never the
 * report or the CLI, which format and print), and heavy packages stay in the layer that needs them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Layer of each src/ folder: a module may import its own folder and lower layers only. */
const LAYER: Record<string, number> = {
  core: 0,
  model: 1,
  theory: 2,
  training: 2,
  search: 3,
  experiments: 3,
  audit: 4,
  report: 5,
  session: 6,
  cli: 7,
};
/** Folders on one level that must not import each other (siblings, not a stack). */
const SIBLINGS = [
  ['theory', 'training'],
  ['search', 'experiments'],
];
/** External packages and the src/ folders allowed to import them (anything else: any folder). */
const PACKAGE_HOMES: Record<string, string[]> = {
  '@tensorflow/tfjs': ['training', 'search', 'experiments'],
  '@tensorflow/tfjs-backend-wasm': ['training'],
  vega: ['report'],
  'vega-lite': ['report'],
  zod: ['report', 'cli'],
  commander: ['cli'],
  'cli-progress': ['cli'],
  'fast-check': ['audit'],
  vitest: [],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every module specifier a file imports: static imports and re-exports, and import('…') with a literal. */
export function importsOf(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+'([^']+)'/gms)) out.push(m[1]);
  for (const m of text.matchAll(/^\s*import\s+'([^']+)'/gm)) out.push(m[1]);
  for (const m of text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) out.push(m[1]);
  return out;
}

interface Edge {
  from: string;
  to: string;
}

function edges(dir: string): Edge[] {
  return sourceFiles(dir).flatMap((file) =>
    importsOf(readFileSync(join(ROOT, file), 'utf8')).map((spec) => ({
      from: file,
      to: spec.startsWith('.') ? relative(ROOT, resolve(ROOT, dirname(file), spec)).replace(/\.js$/, '.ts') : spec,
    })),
  );
}

const folderOf = (path: string) => path.split('/')[1];
const packageOf = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
const isLocal = (to: string) => /^(src|properties|test|bin)\//.test(to) || to === 'vitest.config.ts';

/** The rule an import from src/ breaks, or null. */
function srcViolation(e: Edge): string | null {
  const from = folderOf(e.from);
  if (!isLocal(e.to)) {
    const homes = PACKAGE_HOMES[packageOf(e.to)];
    return homes && !homes.includes(from) ? `package ${packageOf(e.to)} belongs in src/{${homes.join(',')}}` : null;
  }
  if (!e.to.startsWith('src/')) return 'src/ imports nothing outside src/';
  const to = folderOf(e.to);
  if (!(from in LAYER) || !(to in LAYER)) return `unknown folder src/${from in LAYER ? to : from}`;
  if (from === to) return null;
  if (SIBLINGS.some(([a, b]) => (from === a && to === b) || (from === b && to === a)))
    return `src/${from} and src/${to} are siblings`;
  return LAYER[to] < LAYER[from]
    ? null
    : `src/${from} (layer ${LAYER[from]}) may not import src/${to} (layer ${LAYER[to]})`;
}

/** The rule an import from properties/ breaks, or null. */
function propertiesViolation(e: Edge): string | null {
  if (!isLocal(e.to)) return null;
  if (e.to.startsWith('properties/')) return null;
  if (!e.to.startsWith('src/')) return 'properties/ imports src/ only';
  return ['report', 'cli'].includes(folderOf(e.to))
    ? `claims never format or print: no import of src/${folderOf(e.to)}`
    : null;
}

describe('the import direction', () => {
  it('in src/, every import goes down the stack, never to properties/ or test/, and packages stay home', () => {
    const bad = edges('src').flatMap((e) => {
      const why = srcViolation(e);
      return why ? [`${e.from} → ${e.to}: ${why}`] : [];
    });
    expect(bad).toEqual([]);
  });

  it('in properties/, every import is of src/ (not its report or CLI) or of properties/ itself', () => {
    const bad = edges('properties').flatMap((e) => {
      const why = propertiesViolation(e);
      return why ? [`${e.from} → ${e.to}: ${why}`] : [];
    });
    expect(bad).toEqual([]);
  });

  it('has no circle of imports among the files of src/, inside a folder either', () => {
    const graph = new Map<string, string[]>();
    for (const e of edges('src')) if (e.to.startsWith('src/')) graph.set(e.from, [...(graph.get(e.from) ?? []), e.to]);
    const state = new Map<string, 'open' | 'done'>();
    const circles: string[] = [];
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        circles.push([...path.slice(path.indexOf(file)), file].join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const to of graph.get(file) ?? []) visit(to, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(circles).toEqual([]);
  });

  it('only the composition root joins the claims to the CLI', () => {
    const bin = readFileSync(join(ROOT, 'bin/rankcheck.js'), 'utf8');
    expect(bin).toMatch(/properties\/registry\.js/);
    expect(bin).toMatch(/src\/cli\/main\.js/);
  });

  it('catches what it is meant to catch (each rule on a planted import)', () => {
    expect(srcViolation({ from: 'src/core/rng.ts', to: 'src/model/attention.ts' })).toMatch(/may not import/);
    expect(srcViolation({ from: 'src/audit/units.ts', to: 'properties/registry.ts' })).toMatch(/nothing outside src/);
    expect(srcViolation({ from: 'src/search/train.ts', to: 'src/experiments/tasks.ts' })).toMatch(/siblings/);
    expect(srcViolation({ from: 'src/core/stats.ts', to: '@tensorflow/tfjs' })).toMatch(/belongs in/);
    expect(srcViolation({ from: 'src/report/html.ts', to: 'src/audit/records.ts' })).toBeNull();
    expect(srcViolation({ from: 'src/report/merge.ts', to: 'src/session/files.ts' })).toMatch(/may not import/);
    expect(srcViolation({ from: 'src/session/files.ts', to: 'src/cli/inputs.ts' })).toMatch(/may not import/);
    expect(propertiesViolation({ from: 'properties/fact-1/claim.ts', to: 'src/report/html.ts' })).toMatch(
      /never format/,
    );
    expect(propertiesViolation({ from: 'properties/fact-1/claim.ts', to: 'test/fixtures/x.ts' })).toMatch(/src\/ only/);
    expect(
      importsOf("import { a } from './a.js';\nexport { b } from '../b.js';\nconst m = await import('./c.js');"),
    ).toEqual(['./a.js', '../b.js', './c.js']);
  });
});
