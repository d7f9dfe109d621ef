import { UnrecoverableError } from 'bullmq';
import { UsageError } from '../errors';
import type { RunSpec } from '../experiments/types';
import type { EpochMetrics } from '../results/records';
import { startBackend } from '../run/backend';
import { currentEnvironment } from '../run/environment';
import { trainRun } from '../train/train-run';
import { validateJobData, type RunJobProgress, type RunJobResult } from './jobs';

/** The environment variable through which `fbt-repro worker --backend B` reaches its job threads. */
export const WORKER_BACKEND_ENV = 'FBT_REPRO_WORKER_BACKEND';

/** The part of a BullMQ job (in this thread or a sandboxed one) the processor uses. */
export interface RunJobHandle {
  readonly data: unknown;
  updateProgress(progress: RunJobProgress): Promise<unknown>;
}

/**
 * Trains one job's run with the same code as a local run (`trainRun`) and returns its record and
 * metrics (the record with what training measured besides them, as a local run's). A payload that fails validation, or asks for another backend than the worker serves
 * (`FBT_REPRO_WORKER_BACKEND`), is refused before training with an UnrecoverableError (no retry).
 * Each epoch is reported through `job.updateProgress`.
 */
export async function processRunJob(job: RunJobHandle): Promise<RunJobResult> {
  let run: RunSpec;
  try {
    run = validateJobData(job.data);
  } catch (error) {
    if (error instanceof UsageError) throw new UnrecoverableError(`refused: ${error.message}`);
    throw error;
  }
  const serves = process.env[WORKER_BACKEND_ENV];
  if (serves !== undefined && serves !== '' && serves !== run.backend) {
    throw new UnrecoverableError(
      `refused: the run asks for backend '${run.backend}'; this worker serves '${serves}'`,
    );
  }
  const backend = await startBackend(run.backend);
  const record = { run, environment: currentEnvironment(backend) };
  const metrics: EpochMetrics[] = [];
  const updates: Promise<unknown>[] = [];
  const measured = await trainRun(run, (m) => {
    metrics.push(m);
    updates.push(job.updateProgress({ epoch: m.epoch, epochs: run.settings.epochs, seconds: m.seconds }));
  });
  await Promise.all(updates);
  return { record: { ...record, ...measured }, metrics };
}
