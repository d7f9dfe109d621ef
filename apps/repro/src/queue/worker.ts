import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type Job } from 'bullmq';
import { forTerminal } from '../escape';
import type { QueueTarget } from './connection';
import { redact } from './connection';
import { QUEUE_NAME, type RunJobResult } from './jobs';
import { processRunJob, WORKER_BACKEND_ENV, type RunJobHandle } from './process';

/** Settings of `fbt-repro worker`. */
export interface QueueWorkerOptions {
  /** Jobs trained at once (each in its own thread when the built sandbox entry exists). */
  readonly concurrency: number;
  /** Only train runs of this backend; others are refused. Undefined: the backend each run names. */
  readonly backend?: string;
  /** BullMQ lock duration in ms: a worker silent for this long is considered dead (default 30 s). */
  readonly lockMs?: number;
  /** How often, in ms, this worker looks for stalled jobs of dead workers (default 30 s). */
  readonly stalledMs?: number;
  /** Where the worker logs one line per job event. */
  readonly log: (line: string) => void;
  /** The processor; tests replace it. Default: trains in a sandboxed thread, or in this thread from sources. */
  readonly processor?: (job: RunJobHandle) => Promise<RunJobResult>;
}

/** The built sandbox entry next to this module (dist/queue-job.js); absent when running from sources. */
function sandboxEntry(): string | null {
  const path = fileURLToPath(new URL('./queue-job.js', import.meta.url));
  return existsSync(path) ? path : null;
}

/** A job's id for the log (the queue's text: escaped for the terminal). */
function jobName(job: Job | undefined): string {
  return forTerminal(job?.id ?? '?');
}

/**
 * Starts a BullMQ worker on the fbt-repro queue: it takes jobs, validates and trains each run, and
 * returns its results as the job's return value. The connection retries forever through a Redis
 * outage. Resolves once the worker is connected; `close()` lets running jobs finish, then disconnects.
 */
export async function startQueueWorker(target: QueueTarget, options: QueueWorkerOptions): Promise<Worker> {
  if (options.backend !== undefined) process.env[WORKER_BACKEND_ENV] = options.backend;
  const entry = options.processor === undefined ? sandboxEntry() : null;
  const processor = entry ?? ((job: Job) => (options.processor ?? processRunJob)(job));
  const worker = new Worker(QUEUE_NAME, processor, {
    connection: target.options,
    concurrency: options.concurrency,
    useWorkerThreads: true,
    ...(options.lockMs === undefined ? {} : { lockDuration: options.lockMs }),
    ...(options.stalledMs === undefined ? {} : { stalledInterval: options.stalledMs }),
  });
  worker.on('active', (job) => options.log(`start ${jobName(job)} (attempt ${job.attemptsMade + 1})`));
  worker.on('completed', (job) => options.log(`done  ${jobName(job)}`));
  worker.on('failed', (job, error) =>
    options.log(`FAIL  ${jobName(job)}: ${forTerminal(redact(error.message.split('\n')[0] ?? ''))}`),
  );
  let lastError = '';
  worker.on('error', (error) => {
    // A Redis outage repeats the same error on every reconnection attempt: say it once.
    const line = redact(error.message.split('\n')[0] ?? '');
    if (line !== lastError) options.log(`queue: ${line} (retrying)`);
    lastError = line;
  });
  worker.on('ready', () => (lastError = ''));
  await worker.waitUntilReady();
  return worker;
}
