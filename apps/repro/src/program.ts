import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { FbtDataError, findImageFiles } from '@fbt/datasets/node';
import { UsageError, WriteError } from './errors';
import { intOption } from './int-option';
import { LIMITS } from './limits';
import { truncate } from './preview';
import { EXPERIMENT_GROUPS, experimentNames } from './experiments';
import type { ExperimentSpec, RunSpec, Tier } from './experiments/types';
import { configJsonSchemaText } from './experiments/json-schema';
import { validateUserExperiment } from './experiments/validate';
import { listText } from './list';
import { DOCS_ASSETS, writeDocsAssets } from './report/docs';
import { buildReport, checkResultsDir } from './report/write';
import { runDir } from './results/layout';
import { isRunComplete } from './results/store';
import { checkNoClash } from './run/clash';
import { checkOutDir, checkReportTarget } from './run/out-dir';
import { checkWasmMemory } from './run/wasm-memory';
import { withResultsLock } from './results/lock';
import { filterConfigs, planRuns, selectableNames, selectExperiments, type RunOverrides } from './run/plan';
import {
  IMAGE_DATASETS,
  IMAGE_SOURCES,
  fetchImageData,
  provideImageData,
  type DataPolicy,
} from './run/data-sources';
import { recordSkipped } from './results/skipped';
import { ArgumentError, getBackend, getThreads } from '@fbt/tensor';
import { backendChoices, checkBackendName, GPU_BACKEND, startBackend } from './run/backend';
import { runPool } from './run/pool';
import { Progress, type ProgressSink } from './run/progress';
import { runWork } from './run/workload';
import { checkRule, checkRunRules } from './train/preflight';
import { addQueueCommands, parseAttempts, queueRunCommand } from './queue/commands';
import { checkReachable, parseQueueUrl } from './queue/connection';

/** The streams the CLI writes to. */
export interface CliIo {
  readonly stdout: ProgressSink;
  readonly stderr: { write(text: string): void };
}

function learningRate(value: string): number {
  const n = Number(value);
  if (!(n > 0) || !(n <= LIMITS.lr) || value.trim() === '')
    throw new InvalidArgumentError(`--lr must be a positive number up to ${LIMITS.lr}`);
  return n;
}

function configPatterns(value: string): string[] {
  const patterns = value.split(',').map((p) => p.trim());
  if (patterns.some((p) => !/^[A-Za-z0-9_.*-]+$/.test(p))) {
    throw new InvalidArgumentError(
      '--configs must be comma-separated config ids or patterns of letters, digits, . _ - and *, e.g. mnist-relu-*',
    );
  }
  return patterns;
}

function seedList(value: string): number[] {
  const parts = value.split(',');
  if (parts.some((p) => !/^\d+$/.test(p.trim()))) {
    throw new InvalidArgumentError(
      '--seeds must be a comma-separated list of non-negative integers, e.g. 0,1,2',
    );
  }
  const seeds = parts.map((p) => Number(p.trim()));
  if (seeds.some((s) => s > LIMITS.seed) || seeds.length > LIMITS.seeds) {
    throw new InvalidArgumentError(
      `--seeds must be at most ${LIMITS.seeds} seeds below 2^32 (larger seeds repeat smaller ones)`,
    );
  }
  if (new Set(seeds).size !== seeds.length) throw new InvalidArgumentError('--seeds lists a seed twice');
  return seeds;
}

interface RunOptions {
  quick?: boolean;
  full?: boolean;
  configs?: string[];
  seeds?: number[];
  epochs?: number;
  batchSize?: number;
  lr?: number;
  backend: string;
  workers: number;
  out: string;
  config?: string;
  queue?: string;
  attempts?: number;
  overwrite?: boolean;
}

function loadUserExperiment(path: string): ExperimentSpec {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read config file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return validateUserExperiment(json, path, checkRule);
}

function tierOf(options: RunOptions): Tier {
  return options.quick === true ? 'quick' : options.full === true ? 'full' : 'default';
}

/**
 * Plans the runs of `run` and checks them (rules, backend, the results directory, finished runs
 * with other settings) before anything is written.
 */
function prepareRuns(names: readonly string[], options: RunOptions): RunSpec[] {
  if (names.length === 0 && options.config === undefined) {
    throw new UsageError(
      `run: name at least one experiment (${selectableNames().join(', ')}) or --config FILE.json`,
    );
  }
  const tier = tierOf(options);
  let experiments = selectExperiments(names, tier);
  const user = options.config === undefined ? undefined : loadUserExperiment(options.config);
  if (user !== undefined && experimentNames().includes(user.name)) {
    throw new UsageError(
      `${options.config}: name "${user.name}" is a built-in experiment; choose another name`,
    );
  }
  if (options.configs !== undefined) experiments = filterConfigs(experiments, options.configs);
  const overrides: RunOverrides = {
    ...(options.seeds === undefined ? {} : { seeds: options.seeds }),
    ...(options.epochs === undefined ? {} : { epochs: options.epochs }),
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    ...(options.lr === undefined ? {} : { lr: options.lr }),
  };
  checkBackendName(options.backend);
  const runs = [
    ...planRuns(experiments, overrides, tier, options.backend),
    ...(user === undefined ? [] : planRuns([user], overrides, 'full', options.backend)),
  ];
  checkRunRules(runs);
  checkWasmMemory(runs);
  checkOutDir(options.out);
  checkNoClash(runs, options.out, options.overwrite === true);
  return runs;
}

/**
 * What to do about missing image data: fetch it always; leave out the runs that need it only when the
 * user asked for a group (`all`, `beyond`) in a scaled tier (the default `pnpm repro`), not for `--full` or a named
 * experiment.
 */
function dataPolicy(names: readonly string[], options: RunOptions): DataPolicy {
  return {
    fetch: true,
    skip: names.some((n) => Object.hasOwn(EXPERIMENT_GROUPS, n)) && tierOf(options) !== 'full',
  };
}

/**
 * Starts the gpu backend in this thread and says when gpu.js fell back to its non-accelerated mode.
 * Gpu runs train one at a time in this thread: the native `gl` module loads in only one thread of a
 * process (in a second thread gpu.js falls back to its cpu mode), so worker threads would not help.
 */
async function prepareGpu(options: RunOptions, io: CliIo): Promise<void> {
  const status = await startBackend(GPU_BACKEND);
  if (status.fallbackReason !== null) {
    io.stderr.write(
      `fbt-repro: --backend gpu runs in gpu.js's non-accelerated '${status.mode}' mode (${status.fallbackReason}); continuing\n`,
    );
  }
  if (options.workers > 1) {
    io.stdout.write(
      `--backend gpu: runs train one at a time in the main thread (the native 'gl' module loads in one thread per process), not on ${options.workers} workers\n`,
    );
  }
}

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

async function trainLocally(
  planned: readonly RunSpec[],
  names: readonly string[],
  options: RunOptions,
  io: CliIo,
): Promise<number> {
  const { runs, skipped } = await provideImageData(planned, dataPolicy(names, options), io.stdout);
  const gpu = options.backend === GPU_BACKEND;
  if (gpu) await prepareGpu(options, io);
  const workers = gpu ? 1 : options.workers;
  const progress = new Progress(io.stdout, runs);
  // Longest runs first, so that the last runs to finish on the workers are short ones.
  const todo = runs
    .filter((run) => {
      const finished = isRunComplete(runDir(options.out, run.experiment, run.config, run.seed), run);
      if (finished) progress.skipped(run);
      return !finished;
    })
    .sort((a, b) => runWork(b.settings) - runWork(a.settings));
  const started = Date.now();
  let outcome;
  try {
    outcome = await runPool(todo, options.out, workers, progress);
  } finally {
    progress.close();
  }
  const failed = new Set(outcome.failed.map((f) => f.run));
  recordSkipped(
    options.out,
    skipped,
    runs.filter((r) => !failed.has(r)),
  );
  const trained = todo.length - outcome.failed.length;
  io.stdout.write(
    `trained ${trained} runs (${runs.length - todo.length} already finished, ${outcome.failed.length} failed${skipped.length > 0 ? `, ${skipped.length} skipped for missing data` : ''}) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  if (trained + runs.length - todo.length > 0) {
    const report = await buildReport(options.out);
    io.stdout.write('verdicts:\n');
    for (const c of report.claims) io.stdout.write(`  ${c.verdict.padEnd(13)} ${c.statement}\n`);
    io.stdout.write(`report: ${report.files[report.files.length - 1]}\n`);
  }
  return outcome.failed.length > 0 ? 1 : 0;
}

async function fetchCommand(name: string, options: { dir?: string }, io: CliIo): Promise<void> {
  const names = name === 'all' ? IMAGE_DATASETS : IMAGE_DATASETS.filter((n) => n === name);
  if (names.length === 0) {
    throw new UsageError(
      `fetch: unknown data set '${name}'; valid: ${[...IMAGE_DATASETS, 'all'].join(', ')}`,
    );
  }
  if (options.dir === '') throw new UsageError('fetch: --dir is empty; expected a folder path');
  for (const n of names) {
    const { spec } = IMAGE_SOURCES[n];
    const found = options.dir === undefined ? findImageFiles(spec).dir : undefined;
    if (found !== undefined) {
      io.stdout.write(`${spec.name}: already at ${found}\n`);
      continue;
    }
    try {
      const dir = await fetchImageData(n, io.stdout, options.dir);
      const hint =
        options.dir === undefined ? '' : ` (set FBT_DATA_DIR=${options.dir} for fbt-repro to find it)`;
      io.stdout.write(`${spec.name}: verified, at ${dir}${hint}\n`);
    } catch (error) {
      if (error instanceof FbtDataError) throw new UsageError(`fetch ${n}: ${error.message}`);
      throw error;
    }
  }
}

/** Options of `report`. */
interface ReportOptions {
  docs?: string;
  overwrite?: boolean;
}

async function reportCommand(dir: string, options: ReportOptions, io: CliIo): Promise<void> {
  if (options.docs === undefined) {
    if (options.overwrite === true) throw new UsageError('report: --overwrite needs --docs <site>');
    checkResultsDir(dir);
    checkReportTarget(dir);
    const outcome = await withResultsLock(dir, 'report', () => buildReport(dir));
    io.stdout.write(`rebuilt ${outcome.files.length} files for ${outcome.experiments.join(', ')}\n`);
    return;
  }
  if (options.docs === '') throw new UsageError('report: --docs is empty; expected the docs site folder');
  const command = `fbt-repro report ${dir} --docs ${options.docs}${options.overwrite === true ? ' --overwrite' : ''}`;
  const files = await writeDocsAssets(dir, options.docs, { overwrite: options.overwrite === true, command });
  io.stdout.write(`wrote ${files.length} files under ${join(options.docs, DOCS_ASSETS)}\n`);
}

function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('fbt-repro')
    .description(
      'Reproduces the experiments of arXiv 2509.07236 (decoupled forward/backward training) with fbt.',
    )
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: () => undefined });
  program
    .command('list')
    .description(
      'every experiment with its paper table, model, data, rules, hyperparameters and quick settings',
    )
    .action(() => io.stdout.write(listText()));
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
  program
    .command('fetch')
    .description(
      'download a data set into the cache folder (or --dir), verify it by SHA-256 and say where it is',
    )
    .argument('<dataset>', `${[...IMAGE_DATASETS, 'all'].join(', ')}`)
    .option('--dir <folder>', 'the cache folder to fetch into (default: FBT_DATA_DIR or the per-user cache)')
    .action(async (name: string, options: { dir?: string }) => fetchCommand(name, options, io));
  program
    .command('schema')
    .description(
      'print the JSON Schema of --config files (for editors; also in apps/repro/config.schema.json)',
    )
    .action(() => io.stdout.write(configJsonSchemaText()));
  program
    .command('report')
    .description('rebuild tables, plots and REPORT.md from saved metrics, without training')
    .argument('<dir>', 'a results directory written by `run`')
    .option(
      '--docs <site>',
      'instead, write its tables and SVG figures into the docs site at <site> (public/repro/), leaving <dir> as it is',
    )
    .option('--overwrite', 'with --docs: replace the reproduction assets already there')
    .action(async (dir: string, options: ReportOptions) => reportCommand(dir, options, io));
  addQueueCommands(program, io, setExit);
  return program;
}

/** Longest error line printed (a long bad value is cut first). */
const MAX_ERROR_LINE = 300;

/**
 * A bad-input message as the one line the CLI prints: quoted values longer than 60 characters cut,
 * line breaks flattened, the whole at most 300 characters.
 */
function errorLine(message: string): string {
  const flat = message
    .replace(/\s*\n\s*/g, ' ')
    .replace(
      /(['"])([^'"]{61,}?)\1/g,
      (_, quote: string, value: string) => `${quote}${truncate(value)}${quote}`,
    );
  return `${truncate(`fbt-repro: ${flat}`, MAX_ERROR_LINE)}\n`;
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
    const program = buildProgram(io, (c) => (code = c));
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
