import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/package-root.js';
import { untestedReason } from '../../src/core/parts.js';
import { BUDGETS, claimSentinels } from '../../src/core/vocabulary.js';
import { REGISTRY } from '../../properties/registry.js';

describe('the claim registry', () => {
  it('names, for every claim, a proof note, code and a checks file that exist: one hop from a verdict to its mathematics', () => {
    const missing = REGISTRY.claims.flatMap((c) =>
      [c.sources.proofNote, ...c.sources.code, c.sources.checks]
        .filter((p) => !existsSync(join(packageRoot(), p)))
        .map((p) => `${c.id}: ${p}`),
    );
    expect(missing).toEqual([]);
  });

  it('gives every claim its own proof note', () => {
    const notes = REGISTRY.claims.map((c) => c.sources.proofNote);
    expect(new Set(notes).size).toBe(notes.length);
  });

  it('gives every check at least one sentinel, so that no check can pass by being blind', () => {
    const bare = REGISTRY.claims.flatMap((c) =>
      c.checks.filter((k) => Object.keys(k.sentinels).length === 0).map((k) => `${c.id}/${k.name}`),
    );
    expect(bare).toEqual([]);
  });

  it('uses every declared sentinel in the code of its claim: one declared but never compared would be a blind spot found only by a full audit', () => {
    const unused = REGISTRY.claims.flatMap((c) => {
      const folder = join(packageRoot(), dirname(c.sources.checks));
      const code = [folder, join(packageRoot(), 'properties/support')]
        .flatMap((dir) =>
          readdirSync(dir)
            .filter((f) => f.endsWith('.ts') && !f.endsWith('.property.ts'))
            .map((f) => join(dir, f)),
        )
        .map((f) => readFileSync(f, 'utf8'))
        .join('\n');
      return claimSentinels(c)
        .map((s) => s.name)
        .filter((name) => {
          // A quoted name not followed by ':' is a use (a comparison, a union member, a lookup);
          // the declaration is the object key `'name': description`.
          const quoted = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          return !new RegExp(`['"]${quoted}['"](?!\\s*:)`).test(code);
        })
        .map((name) => `${c.id}: ${name}`);
    });
    expect(unused).toEqual([]);
  });

  it('has unique claim ids, check names within a claim, and sentinel units', () => {
    const ids = REGISTRY.claims.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of REGISTRY.claims) {
      const names = c.checks.map((k) => k.name);
      expect(new Set(names).size, c.id).toBe(names.length);
      const sentinels = claimSentinels(c).map((s) => `${s.name}@${s.check}`);
      expect(new Set(sentinels).size, c.id).toBe(sentinels.length);
    }
  });

  it('runs every claim at some budget, and says why wherever one of its budgets runs no check', () => {
    for (const c of REGISTRY.claims) {
      const runsAt = BUDGETS.filter((b) => c.checks.some((k) => k.sizes[b] !== undefined));
      expect(runsAt.length, c.id).toBeGreaterThan(0);
      for (const b of BUDGETS.filter((x) => !runsAt.includes(x)))
        expect(c.notRunAt?.[b], `${c.id} at ${b}`).toMatch(/\S/);
    }
  });

  it('lists every experiment claim it trains among its claims', () => {
    for (const e of REGISTRY.experiments) expect(REGISTRY.claims.map((c) => c.id)).toContain(e.claim);
  });

  it('splits every claim into the parts of its statement, each naming checks the claim has or saying why none tests it', () => {
    for (const c of REGISTRY.claims) {
      expect(c.parts?.length ?? 0, `${c.id} declares no parts`).toBeGreaterThan(0);
      const names = new Set(c.checks.map((k) => k.name));
      for (const p of c.parts ?? []) {
        for (const name of p.checks) expect(names.has(name), `${c.id}/${p.id}: no check ${name}`).toBe(true);
        if (p.checks.length === 0)
          expect(typeof p.untested, `${c.id}/${p.id} says why nothing tests it`).toBe('string');
      }
      expect(new Set(c.parts!.map((p) => p.id)).size).toBe(c.parts!.length);
    }
  });

  it('gives every untested part at every budget a reason', () => {
    for (const c of REGISTRY.claims)
      for (const b of BUDGETS)
        for (const p of c.parts ?? []) {
          const why = untestedReason(c, p, b);
          if (why !== null) expect(why.length, `${c.id}/${p.id} at ${b}`).toBeGreaterThan(10);
        }
  });
});
