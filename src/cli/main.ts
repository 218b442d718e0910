/**
 * The `rankcheck` command. Parses, calls, prints; exit 0 on success, 1 when a claim is violated
 * or a regression is found, 2 on bad input (one line naming the problem, never a stack trace).
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerAudit } from './commands/audit.js';
import { registerDepth } from './commands/depth.js';
import { registerExperiment } from './commands/experiment.js';
import { registerFact1 } from './commands/fact1.js';
import { registerSearch } from './commands/search.js';
import { registerTheorem2 } from './commands/theorem2.js';
import { UsageError } from './usage-error.js';

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function buildProgram(): Command {
  const program = new Command('rankcheck')
    .description('Checks the claims of "On the Benefits of Rank in Attention Layers" (arXiv 2407.16153)')
    .version(packageVersion())
    .exitOverride()
    .showSuggestionAfterError(false)
    // Errors are printed once, by main(), as a single line.
    .configureOutput({ outputError: () => undefined });
  registerAudit(program);
  registerFact1(program);
  registerTheorem2(program);
  registerSearch(program);
  registerExperiment(program);
  registerDepth(program);
  const quiet = (cmd: Command): void => {
    cmd.exitOverride().configureOutput({ outputError: () => undefined });
    cmd.commands.forEach(quiet);
  };
  program.commands.forEach(quiet);
  return program;
}

function oneLine(message: string): string {
  return message.replace(/^error:\s*/i, '').replace(/\s+/g, ' ').trim();
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
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
    if (e instanceof UsageError || e instanceof RangeError) {
      process.stderr.write(`rankcheck: ${oneLine(e.message)}\n`);
      return 2;
    }
    process.stderr.write(`rankcheck: internal error: ${oneLine(e instanceof Error ? e.message : String(e))}\n`);
    if (process.env.RANKCHECK_DEBUG) console.error(e);
    return 3;
  }
}
