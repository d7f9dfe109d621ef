import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { WriteError } from '../errors';
import type { RunSpec } from '../experiments/types';
import { executeRun } from './execute';
import { kernelThreadsPerRun } from './kernel-threads';
import type { TaskMessage, WorkerData, WorkerMessage } from './messages';
import type { Progress } from './progress';

/** What happened to the runs handed to `runPool`. */
export interface PoolOutcome {
  readonly failed: readonly { run: RunSpec; message: string }[];
}

/** The built worker entry next to this module (dist/worker.js); absent when running from sources. */
function workerEntry(): string | null {
  const path = fileURLToPath(new URL('./worker.js', import.meta.url));
  return existsSync(path) ? path : null;
}

async function runInProcess(runs: readonly RunSpec[], out: string, progress: Progress): Promise<PoolOutcome> {
  const failed: { run: RunSpec; message: string }[] = [];
  for (const run of runs) {
    progress.started(run);
    try {
      await executeRun(run, out, (m) => progress.epoch(run, m));
      progress.finished(run);
    } catch (error) {
      if (error instanceof WriteError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      failed.push({ run, message });
      progress.finished(run, message);
    }
  }
  return { failed };
}

/**
 * Trains `runs` on `workers` worker threads (each takes the next run when it is free), or in this
 * thread when `workers` is 1 or the built worker entry is not there (running from sources). Each
 * worker's wasm kernels get an equal share of the cores (`kernelThreadsPerRun`).
 * A failed run is reported and the others go on, except when a run cannot write its files (a full
 * disk, an I/O error): that `WriteError` stops every thread and is thrown, since the next runs could
 * not write theirs either.
 */
export async function runPool(
  runs: readonly RunSpec[],
  out: string,
  workers: number,
  progress: Progress,
): Promise<PoolOutcome> {
  const entry = workerEntry();
  if (workers <= 1 || entry === null || runs.length <= 1) return runInProcess(runs, out, progress);
  const failed: { run: RunSpec; message: string }[] = [];
  let next = 0;
  const concurrent = Math.min(workers, runs.length);
  const workerData: WorkerData = { kernelThreads: kernelThreadsPerRun(concurrent) };
  const threads = Array.from({ length: concurrent }, () => new Worker(entry, { workerData }));
  const stopAll = (): void => {
    for (const t of threads) void t.terminate();
  };
  const onSigint = (): void => {
    stopAll();
    progress.close();
    process.exit(130);
  };
  process.once('SIGINT', onSigint);
  try {
    await Promise.all(
      threads.map(
        (thread) =>
          new Promise<void>((resolve, reject) => {
            const give = (): void => {
              if (next >= runs.length) {
                resolve();
                return;
              }
              const index = next++;
              progress.started(runs[index]!);
              const task: TaskMessage = { index, run: runs[index]!, out };
              thread.postMessage(task);
            };
            thread.on('message', (message: WorkerMessage) => {
              const run = runs[message.index]!;
              if (message.type === 'epoch') progress.epoch(run, message.metrics);
              else if (message.type === 'error' && message.writeError)
                reject(new WriteError(message.message));
              else {
                if (message.type === 'error') failed.push({ run, message: message.message });
                progress.finished(run, message.type === 'error' ? message.message : undefined);
                give();
              }
            });
            thread.on('error', reject);
            give();
          }),
      ),
    );
  } finally {
    process.off('SIGINT', onSigint);
    stopAll();
  }
  return { failed };
}
