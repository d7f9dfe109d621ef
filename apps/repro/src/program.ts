import { Command, CommanderError } from 'commander';
import { ArgumentError, enableRelaxedSimd, getThreads } from '@fbt/tensor';
import { addCollectCommand } from './commands/collect';
import type { CliIo, CommandContext } from './commands/context';
import { errorLine } from './commands/error-line';
import { addFetchCommand } from './commands/fetch';
import { addListCommand } from './commands/list';
import { addReportCommand } from './commands/report';
import { addRunCommand } from './commands/run';
import { addSchemaCommand } from './commands/schema';
import { addWorkerCommand } from './commands/worker';
import { UsageError, WriteError } from './errors';

export type { CliIo } from './commands/context';

/** The `fbt-repro` program: every command (one module each under `commands/`), writing to `io`. */
function buildProgram(context: CommandContext): Command {
  const { io } = context;
  const program = new Command('fbt-repro')
    .description(
      'Reproduces the experiments of arXiv 2509.07236 (decoupled forward/backward training) with fbt.',
    )
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: () => undefined });
  for (const add of [
    addListCommand,
    addRunCommand,
    addFetchCommand,
    addSchemaCommand,
    addReportCommand,
    addWorkerCommand,
    addCollectCommand,
  ])
    add(program, context);
  return program;
}

/** Refuses a bad `FBT_THREADS` (the wasm backend's kernel threads) as a usage error, before any work. */
function checkThreadSetting(): void {
  try {
    getThreads();
  } catch (error) {
    if (error instanceof ArgumentError) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * Runs the CLI on `argv` (without the node and script paths) and returns the exit code:
 * 0 success (and help: `--help`, or no arguments at all), 1 a run failed or a file could not be
 * written (a full disk, an I/O error: one line naming the file), 2 bad input or a results folder in
 * use by another writer (one line on stderr, nothing written).
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let code = 0;
  try {
    checkThreadSetting();
    // Node 20 keeps relaxed SIMD behind a V8 flag that Node 22+ has on: set it before any kernel
    // module loads, so the wasm backend (in this thread and in every worker thread) runs the same
    // kernels, fused multiply-adds included, on every supported Node.
    enableRelaxedSimd();
    const program = buildProgram({ io, setExit: (c) => (code = c) });
    if (argv.length === 0) {
      io.stdout.write(program.helpInformation());
      return 0;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.exitCode === 0
      )
        return 0;
      if (error.code === 'commander.help') return 0;
      io.stderr.write(
        errorLine(`${error.message.replace(/^error: /, '').split('\n')[0]} (see fbt-repro --help)`),
      );
      return 2;
    }
    if (error instanceof UsageError) {
      io.stderr.write(errorLine(error.message));
      return 2;
    }
    if (error instanceof WriteError) {
      io.stderr.write(errorLine(error.message));
      return 1;
    }
    throw error;
  }
}
