import { describe, expect, it } from 'vitest';
import { checkDefinitionDigest } from '../../src/core/definition-digest.js';
import { text } from '../../src/core/format.js';
import { defineCheck } from '../../src/core/vocabulary.js';

const check = defineCheck({
  name: 'c',
  kind: 'exact',
  description: 'error below 1/40',
  sizes: { quick: 'd ∈ {3, 4}', standard: 'd ∈ {3, 4, 5}' },
  sentinels: { s: 'a broken variant' },
  run: () => ({ verdict: 'holds', summary: text``, metrics: {} }),
});

describe('a check’s definition digest', () => {
  it('is the same for the same definition and budget', () => {
    expect(checkDefinitionDigest(check, 'quick')).toBe(checkDefinitionDigest({ ...check }, 'quick'));
    expect(checkDefinitionDigest(check, 'quick')).toMatch(/^[0-9a-f]{8}$/);
  });

  it('changes with the rule stated in the description, the budget’s size and the sentinels', () => {
    const base = checkDefinitionDigest(check, 'quick');
    expect(checkDefinitionDigest({ ...check, description: 'error below 1/30' }, 'quick')).not.toBe(base);
    expect(checkDefinitionDigest(check, 'standard')).not.toBe(base);
    expect(checkDefinitionDigest({ ...check, sentinels: {} }, 'quick')).not.toBe(base);
  });
});
