// In-context regression between the standard and the paper grids: which size first orders the
// ranks as the paper does (one head of full rank best)? Trains each head count of one size over
// several seeds with the fused trainer on two workers and prints the query MSEs (mean, Student-t
// interval over the seeds, every seed) as one JSON line per setting; evidence for
// proofs-notes/icl.md, not a check. Run after `npm run build`:
//   node scripts/explore/icl-sizes.mjs P WIDTH MLP STEPS SEEDS HEADS... (e.g. 8 32 128 3000 5 1 4 32)
// n = 2P + 1 tokens (2P examples and the query), two layers, batch 128, rate 0.01, 4000 held-out
// sequences, training seeds 1 … SEEDS (root 0, as the claims).
import { runGrid } from '../../dist/src/experiments/runs.js';

const args = process.argv.slice(2).map(Number);
if (args.length < 6 || args.some((x) => !Number.isInteger(x) || x < 1)) {
  console.error('usage: icl-sizes.mjs P WIDTH MLP STEPS SEEDS HEADS... (positive integers)');
  process.exit(2);
}
const [p, width, mlpWidth, steps, seeds, ...heads] = args;
const uneven = heads.find((h) => width % h !== 0);
if (uneven !== undefined) {
  console.error(`icl-sizes.mjs: ${uneven} heads do not divide the width ${width} (rank = width / heads)`);
  process.exit(2);
}
const recipe = { steps, batch: 128, learningRate: 0.01, evalSamples: 4000 };
const grid = heads.map((h) => ({
  task: { kind: 'icl', p, n: 2 * p + 1 },
  arch: { layers: 2, heads: h, copies: 1, mlpWidth, width },
  recipe,
  seeds,
}));
const t0 = performance.now();
const { results } = await runGrid(grid, {
  workers: 2,
  onSetting: (s, r) =>
    console.log(
      JSON.stringify({
        p,
        width,
        mlpWidth,
        steps,
        heads: s.arch.heads,
        rank: width / s.arch.heads,
        mse: r.mse.mean,
        ci: r.mse.ci,
        seeds: r.runs.map((x) => x.mse),
        minutes: (performance.now() - t0) / 60000,
      }),
    ),
});
console.error(`${results.length} settings in ${((performance.now() - t0) / 60000).toFixed(1)} min`);
