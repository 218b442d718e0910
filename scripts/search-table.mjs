// Prints the search table of the closing note: for d ∈ {8, 16, 32}, r ∈ {1, 2, d/2},
// H ∈ {1, 4, 16, 64}: the bound, the best trained error with its interval, and the full-rank
// control. Usage: npm run build && node scripts/search-table.mjs [quick|standard|paper]
import { SEARCH_BUDGETS, SEARCH_LEVEL } from '../dist/src/search/budgets.js';
import { searchForCounterexample } from '../dist/src/search/search.js';

const budget = process.argv[2] ?? 'quick';
const b = SEARCH_BUDGETS[budget];
console.log(
  `| d | r | H | LB(d, r, H) | best trained (plain) | interval (level 1 − 1e-6) | full-rank control | seconds |`,
);
console.log(`|---|---|---|---|---|---|---|---|`);
for (const d of [8, 16, 32]) {
  for (const r of [...new Set([1, 2, d / 2])]) {
    for (const H of [1, 4, 16, 64]) {
      const t0 = performance.now();
      const res = await searchForCounterexample({
        d,
        r,
        heads: H,
        variant: 'plain',
        restarts: b.restarts,
        steps: b.steps,
        batch: b.batch,
        evalSamples: b.evalSamples,
        level: SEARCH_LEVEL,
        seed: d * 1000 + r * 100 + H,
      });
      const f = (x) => x.toFixed(4);
      console.log(
        `| ${d} | ${r} | ${H} | ${f(res.lowerBound)} | ${f(res.best.error)} | [${f(res.best.ci[0])}, ${f(res.best.ci[1])}] | ${f(res.fullRank.error)} | ${((performance.now() - t0) / 1000).toFixed(0)} |${res.counterexample ? ' COUNTEREXAMPLE' : ''}`,
      );
    }
  }
}
