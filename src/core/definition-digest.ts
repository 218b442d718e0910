/**
 * A digest of what a check is at a budget: its name, kind, description, size, margin and
 * sentinels. A check's description states its rule, so a stability measurement stamped with the
 * digest shows when the check it measured has changed since, even under the same name.
 */
import { fmix32 } from './hash.js';
import type { Budget, CheckDef } from './vocabulary.js';

/** 8 hex digits from the check's definition at `budget` (FNV-1a over its JSON, finalised with fmix32). */
export function checkDefinitionDigest(check: CheckDef, budget: Budget): string {
  const text = JSON.stringify([
    check.name,
    check.kind,
    check.description,
    check.sizes[budget] ?? null,
    check.margin ?? null,
    Object.entries(check.sentinels ?? {}),
  ]);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return fmix32(h >>> 0)
    .toString(16)
    .padStart(8, '0');
}
