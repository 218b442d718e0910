/** `rankcheck stability`: the budget's units at many root seeds, and whether each claim's verdict depends on the seed. */
import { join } from 'node:path';
import type { Command } from 'commander';
import type { Registry } from '../../audit/registry.js';
import { stabilityExitCode } from '../../audit/stability.js';
import { BUDGETS, type Budget } from '../../core/vocabulary.js';
import { runStability } from '../../report/run-stability.js';
import { stabilityPhrase } from '../../report/stability-render.js';
import type { StabilityFile } from '../../report/stability-schema.js';
import { withInterrupt } from '../interrupt.js';
import { oneOf } from '../option-parsers.js';
import { printResult } from '../print.js';
import { unitProgress } from '../unit-progress.js';
import { parseSeeds, parseShard, readStabilityFile, requireSameShard, selectClaims } from '../inputs.js';

/** Root seeds by budget when --seeds is not given: 20 at quick, 5 at the larger budgets. */
const DEFAULT_SEEDS: Record<Budget, number> = { quick: 20, standard: 5, paper: 5 };

/** The --json object: the summary in the documented shape. */
function jsonSummary(f: StabilityFile) {
  const s = f.summary;
  return {
    budget: s.budget,
    seeds: s.seeds,
    claims: s.claims.map((c) => ({
      id: c.id,
      label: c.label,
      verdicts: c.verdicts,
      flakySeeds: c.flakySeeds,
      blindSeeds: c.blindSeeds,
      checks: c.checks.map((k) => ({
        name: k.name,
        passRate: k.passRate,
        worstMargin: k.worstMargin,
        marginUnit: k.marginUnit,
        seedFree: k.seedFree,
      })),
      sentinels: c.sentinels.map((x) => ({ name: `${x.name}@${x.check}`, caught: x.caught, of: x.of })),
    })),
    complete: s.complete,
  };
}

function summaryText(f: StabilityFile, outDir: string, crashed: string[], interrupted: boolean): string {
  const s = f.summary;
  const width = Math.max(...s.claims.map((c) => c.id.length));
  const lines = [
    `rankcheck stability — budget ${s.budget}, ${s.seeds.length} root seeds${f.provenance.shard ? `, shard ${f.provenance.shard.index}/${f.provenance.shard.count}` : ''}`,
  ];
  for (const c of s.claims)
    lines.push(`  ${c.id.padEnd(width)}  ${c.label.padEnd(8)}  ${stabilityPhrase(c, s.seeds.length)}`);
  if (crashed.length) lines.push(`  crashed: ${crashed.join(', ')}`);
  if (interrupted)
    lines.push(`  interrupted: ${f.records.length} units kept; continue with: rankcheck stability --resume ${outDir}`);
  lines.push(`  report: ${join(outDir, 'stability.html')} (also stability.md, stability.json)`);
  return lines.join('\n');
}

interface StabilityOptions {
  budget: Budget;
  seeds?: string;
  claim?: string[];
  out?: string;
  shard?: string;
  resume?: string;
  json?: boolean;
}

export function registerStability(program: Command, registry: Registry): void {
  program
    .command('stability')
    .description('run the budget at many root seeds and label every claim stable, flaky, blind or not-run')
    .option('--budget <B>', `${BUDGETS.join(', ')}`, oneOf(...BUDGETS), 'quick')
    .option('--seeds <N|A-B>', 'root seeds: a count N (0 … N−1) or a range A-B (default 20 at quick, 5 otherwise)')
    .option('--claim <ID...>', 'only these claims (repeat or comma-separate)')
    .option('--out <DIR>', 'where to write stability.json, .md and .html (default reports/stability/BUDGET)')
    .option(
      '--shard <i/n>',
      'run only shard i of n (a contiguous block of the seed-major units; merge with rankcheck merge)',
    )
    .option('--resume <DIR>', 'continue the partial run whose stability.json is in DIR')
    .option('--json', 'print the summary as one JSON object on stdout')
    .action(async (o: StabilityOptions) => {
      const shard = parseShard(o.shard);
      let budget = o.budget;
      let seeds = o.seeds !== undefined ? parseSeeds(o.seeds) : parseSeeds(String(DEFAULT_SEEDS[budget]));
      let claims = selectClaims(registry, o.claim);
      let outDir = o.out ?? join('reports', 'stability', budget);
      let resume: StabilityFile | null = null;
      if (o.resume !== undefined) {
        resume = readStabilityFile(join(o.resume, 'stability.json'), '--resume');
        // A resumed run is the same run: budget, seeds, claims and shard come from the file.
        budget = resume.provenance.budget;
        seeds = resume.summary.seeds;
        claims = registry.claims.filter((c) => resume!.summary.claims.some((x) => x.id === c.id));
        outDir = o.resume;
        requireSameShard(resume.provenance.shard, shard, `the file in ${o.resume}`);
      }
      const progress = unitProgress('stability');
      try {
        const result = await withInterrupt('stopping after the unit in progress', (signal) =>
          runStability({
            claims,
            budget,
            seeds,
            outDir,
            shard,
            resume,
            signal,
            onUnitStart: progress.onUnitStart,
            onUnitDone: progress.onUnitDone,
          }),
        );
        progress.stop();
        printResult(jsonSummary(result.file), o.json, () =>
          summaryText(result.file, outDir, result.crashed, result.interrupted),
        );
        process.exitCode = result.interrupted
          ? 130
          : result.crashed.length > 0
            ? 1
            : result.file.partial
              ? 0
              : stabilityExitCode(result.file.summary);
      } finally {
        progress.stop();
      }
    });
}
