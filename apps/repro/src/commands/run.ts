import { availableParallelism } from 'node:os';
import { Option, type Command } from 'commander';
import { getBackend } from '@fbt/tensor';
import { LIMITS } from '../limits';
import { checkReachable, parseQueueUrl } from '../queue/connection';
import { withResultsLock } from '../results/lock';
import { backendChoices } from '../run/backend';
import { selectableNames } from '../run/plan';
import type { CliIo, CommandContext } from './context';
import { configPatterns, intOption, learningRate, parseAttempts, seedList } from './options';
import { trainLocally } from './run-local';
import { prepareRuns, type RunOptions } from './run-plan';
import { queueRunCommand } from './run-queue';

/**
 * `run`: plans and checks the runs, then, holding the results folder's lock, trains them (here or
 * through the queue) and writes the report.
 */
async function runCommand(names: readonly string[], options: RunOptions, io: CliIo): Promise<number> {
  const planned = prepareRuns(names, options);
  if (options.queue === undefined)
    return withResultsLock(options.out, 'run', () => trainLocally(planned, names, options, io));
  const target = parseQueueUrl(options.queue, 'submitter');
  await checkReachable(target);
  return withResultsLock(options.out, 'run', () => queueRunCommand(planned, { ...options, target }, io));
}

/** Adds `fbt-repro run [experiments...]` with its options. */
export function addRunCommand(program: Command, { io, setExit }: CommandContext): void {
  program
    .command('run')
    .description('train experiments (or "all") and write metrics, tables, plots and REPORT.md')
    .argument('[experiments...]', `experiment names or groups: ${selectableNames().join(', ')}`)
    .addOption(
      new Option('--quick', 'the quick tier: a smoke test of every experiment, about a minute').conflicts(
        'full',
      ),
    )
    .option('--full', "the full tier: the paper's settings (hours)")
    .option(
      '--configs <patterns>',
      'only the configs whose id matches one of these comma-separated patterns (* = anything), e.g. mnist-relu-*',
      configPatterns,
    )
    .option('--seeds <list>', "comma-separated seeds, e.g. 0,1,2 (default: the experiment's)", seedList)
    .option('--epochs <n>', 'override the number of epochs', intOption('--epochs', LIMITS.epochs))
    .option('--batch-size <n>', 'override the batch size', intOption('--batch-size', LIMITS.batchSize))
    .option('--lr <x>', 'override the learning rate', learningRate)
    .option(
      '--backend <name>',
      `tensor backend of every run: ${backendChoices().join(', ')} (default: @fbt/tensor's default, wasm where WebAssembly SIMD exists)`,
      getBackend(),
    )
    .option(
      '--workers <n>',
      'parallel runs on worker threads (default: the number of cores)',
      intOption('--workers', LIMITS.workers),
      availableParallelism(),
    )
    .option('--out <dir>', 'results directory', 'results')
    .option('--config <file>', 'a user-defined experiment (JSON), see the README')
    .option('--queue <url>', 'enqueue the runs on Redis (redis://… or rediss://…) for `fbt-repro worker`s')
    .option(
      '--attempts <n>',
      'with --queue: tries per run before it counts as failed (default 3)',
      parseAttempts,
    )
    .option(
      '--overwrite',
      'retrain finished runs recorded with other settings (without it, such a clash is refused)',
    )
    .action(async (names: string[], options: RunOptions) => setExit(await runCommand(names, options, io)));
}
