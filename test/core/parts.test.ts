import { describe, expect, it } from 'vitest';
import { partStatuses, verdictLabel } from '../../src/core/parts.js';
import { text } from '../../src/core/format.js';
import { defineCheck, type Claim } from '../../src/core/vocabulary.js';

const check = (name: string, budgets: ('quick' | 'standard' | 'paper')[]) =>
  defineCheck({
    name,
    kind: 'exact',
    description: name,
    sizes: Object.fromEntries(budgets.map((b) => [b, 'once'])),
    sentinels: { s: 's' },
    run: () => ({ verdict: 'holds', summary: text`x`, metrics: {} }),
  });

const CLAIM: Claim = {
  id: 'two-panels',
  title: 'a claim in two panels',
  paperRef: 'test',
  statement: 'both panels',
  reconstructed: false,
  sources: { proofNote: 'x', code: [], checks: 'x' },
  parts: [
    { id: 'shallow', statement: 'one layer', checks: ['shallow-check'] },
    {
      id: 'deep',
      statement: 'many layers',
      checks: ['deep-check'],
      untested: { quick: 'the deep models need the paper budget' },
    },
    { id: 'bound', statement: 'the lower bound', checks: [], untested: 'no check tests it' },
  ],
  checks: [check('shallow-check', ['quick', 'paper']), check('deep-check', ['paper'])],
  figures: [],
};

describe('the parts of a claim', () => {
  it('are tested at a budget only where one of their checks runs, with the reason given where not', () => {
    const quick = partStatuses(CLAIM, 'quick', new Map([['shallow-check', 'holds']]));
    expect(quick.map((p) => [p.id, p.tested, p.reason])).toEqual([
      ['shallow', true, null],
      ['deep', false, 'the deep models need the paper budget'],
      ['bound', false, 'no check tests it'],
    ]);
    expect(partStatuses(CLAIM, 'standard', new Map())[0].reason).toBe('its checks do not run at the standard budget');
  });

  it('are untested at a budget that names a reason for them even where their check runs there (it runs without reaching them)', () => {
    const panel = {
      ...CLAIM,
      parts: [
        { id: 'five-layers', statement: 'five layers', checks: ['deep-check'], untested: { paper: 'three only' } },
      ],
    };
    expect(partStatuses(panel, 'paper', new Map([['deep-check', 'holds']]))[0]).toMatchObject({
      tested: false,
      reason: 'three only',
      verdict: 'not-run',
    });
  });

  it('make a claim that holds read "holds in part (k of n parts tested)", and "holds" only when every part was tested', () => {
    const quick = partStatuses(CLAIM, 'quick', new Map([['shallow-check', 'holds']]));
    expect(verdictLabel('holds', quick, false)).toBe('holds in part (1 of 3 parts tested)');
    const all = quick.map((p) => ({ ...p, tested: true }));
    expect(verdictLabel('holds', all, false)).toBe('holds');
  });

  it('word a conjecture as supported, or not supported at the sizes tested, and leave other verdicts as they are', () => {
    const tested = partStatuses(CLAIM, 'paper', new Map()).map((p) => ({ ...p, tested: true }));
    expect(verdictLabel('holds', tested, true)).toBe('supported');
    expect(verdictLabel('violated', tested, true)).toBe('not supported at the sizes tested');
    expect(verdictLabel('violated', tested, false)).toBe('violated');
    expect(verdictLabel('inconclusive', tested, true)).toBe('inconclusive');
  });
});
