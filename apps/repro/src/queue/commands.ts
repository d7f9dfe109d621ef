import type { Command } from 'commander';
import { forTerminal } from '../escape';
import type { RunSpec } from '../experiments/types';
import { intOption } from '../int-option';
import { LIMITS } from '../limits';
import { buildReport } from '../report/write';
import { withResultsLock } from '../results/lock';
import { checkOutDir } from '../run/out-dir';
import type { ProgressSink } from '../run/progress';
import { collectQueue } from './collect';
import { checkReachable, parseQueueUrl, type QueueTarget } from './connection';
import { submitSweep, sweepSummary } from './submit';
import { startQueueWorker } from './worker';

/** The streams the queue commands write to (the CLI's). */
export interface QueueIo {
  readonly stdout: ProgressSink;
}

/** The `run` options that matter for a sweep through the queue. */
export interface QueueRunOptions {
  /** The parsed `--queue` URL, its Redis reached (`checkReachable`). */
  readonly target: QueueTarget;
  readonly attempts?: number;
  readonly out: string;
}

/** Parses `--attempts` (tries per queued job, at least 1). */
export const parseAttempts = intOption('--attempts', LIMITS.attempts);

async function writeReport(out: string, io: QueueIo): Promise<void> {
  const report = await buildReport(out);
  io.stdout.write('verdicts:\n');
  for (const c of report.claims) io.stdout.write(`  ${c.verdict.padEnd(13)} ${c.statement}\n`);
  io.stdout.write(`report: ${report.files[report.files.length - 1]}\n`);
}

/**
 * `fbt-repro run … --queue URL`: enqueues the planned runs, waits for them, writes them into `--out`
 * and builds REPORT.md. Returns the exit code: 1 when a run failed, else 0.
 */
export async function queueRunCommand(
  runs: readonly RunSpec[],
  options: QueueRunOptions,
  io: QueueIo,
): Promise<number> {
  const outcome = await submitSweep(runs, {
    target: options.target,
    out: options.out,
    attempts: options.attempts ?? 3,
    backoffMs: 1000,
    pollMs: 250,
    sink: io.stdout,
  });
  io.stdout.write(`${sweepSummary(outcome)}\n`);
  if (outcome.present + outcome.collected.length > 0) await writeReport(options.out, io);
  return outcome.failed.length > 0 ? 1 : 0;
}

interface WorkerOptions {
  queue: string;
  concurrency: number;
  backend?: string;
  lockMs?: number;
  stalledMs?: number;
}

/** Adds `fbt-repro worker` and `fbt-repro collect` to the program. */
export function addQueueCommands(program: Command, io: QueueIo, setExit: (code: number) => void): void {
  program
    .command('worker')
    .description('train runs from a Redis job queue (see `run --queue`) until stopped with Ctrl-C or SIGTERM')
    .requiredOption('--queue <url>', 'redis://[[user]:password@]host:port[/db], or rediss://… for TLS')
    .option(
      '--concurrency <n>',
      'jobs trained at once, each in its own thread',
      intOption('--concurrency', LIMITS.workers),
      1,
    )
    .option('--backend <name>', "only train runs of this backend (default: each run's own)")
    .option(
      '--lock-ms <ms>',
      'job lock duration: a worker silent this long is taken for dead',
      intOption('--lock-ms', LIMITS.milliseconds),
    )
    .option(
      '--stalled-ms <ms>',
      'how often to look for jobs of dead workers',
      intOption('--stalled-ms', LIMITS.milliseconds),
    )
    .action(async (options: WorkerOptions) => {
      const target = parseQueueUrl(options.queue, 'worker');
      await checkReachable(target);
      const log = (line: string): void => io.stdout.write(`worker: ${line}\n`);
      const worker = await startQueueWorker(target, {
        concurrency: options.concurrency,
        ...(options.backend === undefined ? {} : { backend: options.backend }),
        ...(options.lockMs === undefined ? {} : { lockMs: options.lockMs }),
        ...(options.stalledMs === undefined ? {} : { stalledMs: options.stalledMs }),
        log,
      });
      log(`waiting for jobs on ${target.display} (concurrency ${options.concurrency})`);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          log('stopping: letting running jobs finish');
          void worker.close().then(resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      setExit(0);
    });
  program
    .command('collect')
    .description('write the finished runs on a Redis job queue into a results directory and build REPORT.md')
    .requiredOption('--queue <url>', 'redis://[[user]:password@]host:port[/db], or rediss://… for TLS')
    .option('--out <dir>', 'results directory', 'results')
    .action(async (options: { queue: string; out: string }) => {
      const target = parseQueueUrl(options.queue, 'submitter');
      checkOutDir(options.out);
      await checkReachable(target);
      await withResultsLock(options.out, 'collect', async () => {
        const outcome = await collectQueue(target, options.out);
        io.stdout.write(
          `collected ${outcome.written} runs (${outcome.present} already in ${options.out}, ${outcome.failed.length} failed${outcome.failed.map((f) => forTerminal(`; ${f.experiment}/${f.config} seed ${f.seed}: ${f.reason}`)).join('')})\n`,
        );
        if (outcome.written + outcome.present > 0) await writeReport(options.out, io);
        setExit(outcome.failed.length > 0 ? 1 : 0);
      });
    });
}
