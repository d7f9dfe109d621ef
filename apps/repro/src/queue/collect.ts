import { Queue } from 'bullmq';
import type { RunSpec } from '../experiments/types';
import { runDir } from '../results/layout';
import { isRunComplete, writeMetrics, writeRunRecord } from '../results/store';
import { FAILED_FILE, recordSkipped } from '../results/skipped';
import type { SkippedRun } from '../run/data-sources';
import type { QueueTarget } from './connection';
import { checkReachable, redact } from './connection';
import { QUEUE_NAME, type RunJobData, type RunJobResult } from './jobs';

/**
 * Writes a finished job's run into `out` exactly as a local run ends up: `config.json` and
 * `metrics.jsonl` in `<out>/<experiment>/<config>/seed-<s>/`, each written atomically.
 */
export function writeJobResult(out: string, result: RunJobResult): void {
  const { run } = result.record;
  const dir = runDir(out, run.experiment, run.config, run.seed);
  writeRunRecord(dir, result.record);
  writeMetrics(dir, result.metrics);
}

/** True when `out` already holds the finished run. */
export function isCollected(out: string, run: RunSpec): boolean {
  return isRunComplete(runDir(out, run.experiment, run.config, run.seed), run);
}

/** A queued run that failed for good, as listed in `failed.json` and REPORT.md: its reason's first line, redacted. */
export function failedRun(run: RunSpec, reason: string): SkippedRun {
  const line = redact(reason.split('\n')[0] ?? '');
  return { experiment: run.experiment, config: run.config, seed: run.seed, reason: line };
}

/** Records the failed runs in `failed.json` (and drops those that have since been collected). */
export function recordFailed(
  out: string,
  failed: readonly SkippedRun[],
  collected: readonly RunSpec[],
): void {
  recordSkipped(out, failed, collected, FAILED_FILE);
}

/** What `collectQueue` found. */
export interface CollectOutcome {
  readonly written: number;
  readonly present: number;
  readonly failed: readonly SkippedRun[];
}

/**
 * `fbt-repro collect`: writes every completed job on the queue whose run `out` does not hold yet,
 * and records the jobs that failed for good in `failed.json`.
 */
export async function collectQueue(target: QueueTarget, out: string): Promise<CollectOutcome> {
  await checkReachable(target);
  const queue = new Queue<RunJobData, RunJobResult>(QUEUE_NAME, { connection: target.options });
  queue.on('error', () => undefined);
  try {
    let written = 0;
    let present = 0;
    const collected: RunSpec[] = [];
    for (const job of await queue.getJobs(['completed'])) {
      const result = job.returnvalue;
      if (isCollected(out, result.record.run)) present++;
      else {
        writeJobResult(out, result);
        written++;
      }
      collected.push(result.record.run);
    }
    const failed = (await queue.getJobs(['failed'])).map((job) => failedRun(job.data.run, job.failedReason));
    recordFailed(out, failed, collected);
    return { written, present, failed };
  } finally {
    await queue.close();
  }
}
