/**
 * The `rankcheck` command. Parses, calls, prints; exit 0 on success, 1 when a claim is violated
 * or a regression is found, 2 on bad input (one line naming the problem, never a stack trace),
 * 3 on an internal error. Input is validated at the edge (option parsers, UsageError); anything
 * thrown after that, a RangeError from the mathematics included, is a bug, not bad input.
 * The claims come from the composition root (bin/rankcheck.js) as a Registry value: the CLI knows
 * no particular claim.
 */
import { Command, CommanderError } from 'commander';
import { toolVersion } from '../core/package-root.js';
import { setDefaultWorkers } from '../core/parallel.js';
import { slurmWorkers } from './cluster-env.js';
import { registerBound } from './commands/bound.js';
import { registerCompare } from './commands/compare.js';
import { registerConstruct } from './commands/construct.js';
import { registerDepth } from './commands/depth.js';
import { registerExperiment } from './commands/experiment.js';
import { registerFact1 } from './commands/fact1.js';
import { registerFigure } from './commands/figure.js';
import { registerHeadsNeeded } from './commands/heads-needed.js';
import { registerList } from './commands/list.js';
import { registerMerge } from './commands/merge.js';
import { registerSearch } from './commands/search.js';
import { registerStability } from './commands/stability.js';
import { registerVerify } from './commands/verify.js';
import type { Registry } from '../audit/registry.js';
import { resolveNumerics } from './numerics.js';
import { UsageError } from './usage-error.js';

function buildProgram(registry: Registry): Command {
  const program = new Command('rankcheck')
    .description('Checks the claims of "On the Benefits of Rank in Attention Layers" (arXiv 2407.16153)')
    .version(toolVersion())
    .exitOverride()
    .showSuggestionAfterError(false)
    // Errors are printed once, by main(), as a single line.
    .configureOutput({ outputError: () => undefined });
  registerList(program, registry);
  registerVerify(program, registry);
  registerCompare(program);
  registerMerge(program, registry);
  registerStability(program, registry);
  registerFact1(program);
  registerBound(program);
  registerHeadsNeeded(program);
  registerConstruct(program);
  registerFigure(program);
  registerSearch(program);
  registerExperiment(program, registry);
  registerDepth(program);
  const quiet = (cmd: Command): void => {
    cmd.exitOverride().configureOutput({ outputError: () => undefined });
    cmd.commands.forEach(quiet);
  };
  program.commands.forEach(quiet);
  return program;
}

function oneLine(message: string): string {
  return message
    .replace(/^error:\s*/i, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Runs the command line `argv` against `registry`; returns the exit code. */
export async function main(argv: string[], registry: Registry): Promise<number> {
  const program = buildProgram(registry);
  try {
    resolveNumerics(process.env);
    // Every command's default worker count (an explicit --workers still wins).
    const granted = slurmWorkers(process.env);
    if (granted !== undefined) setDefaultWorkers(granted);
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
      // No command given: commander has printed the help on stderr.
      if (e.code === 'commander.help') return 2;
      process.stderr.write(`rankcheck: ${oneLine(e.message)}\n`);
      return 2;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`rankcheck: ${oneLine(e.message)}\n`);
      return 2;
    }
    process.stderr.write(`rankcheck: internal error: ${oneLine(e instanceof Error ? e.message : String(e))}\n`);
    if (process.env.RANKCHECK_DEBUG) console.error(e);
    return 3;
  }
}
