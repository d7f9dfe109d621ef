import type { Command } from 'commander';
import { LIMITS } from '../limits';
import { checkReachable, parseQueueUrl } from '../queue/connection';
import { startQueueWorker } from '../queue/worker';
import type { CommandContext } from './context';
import { intOption } from './options';

interface WorkerOptions {
  queue: string;
  concurrency: number;
  backend?: string;
  lockMs?: number;
  stalledMs?: number;
}

/** Adds `fbt-repro worker`: trains runs from a Redis queue until SIGINT or SIGTERM. */
export function addWorkerCommand(program: Command, { io, setExit }: CommandContext): void {
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
}
