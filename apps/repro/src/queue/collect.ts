import { Queue } from 'bullmq';
import type { RunSpec } from '../experiments/types';
import { runDir } from '../results/layout';
import { isFinished, isRunComplete, writeMetrics, writeRunRecord } from '../results/store';
import { firstIssue, runJobResultShape } from '../results/shape';
import { FAILED_FILE, recordSkipped } from '../results/skipped';
import type { SkippedRun } from '../run/data-sources';
import type { QueueTarget } from './connection';
import { checkReachable, redact } from './connection';
import { QUEUE_NAME, type RunJobData, type RunJobResult } from './jobs';

/**
 * Writes a finished job's run into `out` exactly as a local run ends up: `config.json` and
 * `metrics.jsonl` in `<out>/<experiment>/<config>/seed-<s>/`, each written atomically. `result` must
 * have passed `checkJobResult`.
 */
export function writeJobResult(out: string, result: RunJobResult): void {
  const { run } = result.record;
  const dir = runDir(out, run.experiment, run.config, run.seed);
  writeRunRecord(dir, result.record);
  writeMetrics(dir, result.metrics);
}

/**
 * Checks a job's return value as read from the queue (anything: a queue can be written by anyone who
 * reaches it) with the same shapes as a local run's files: a run record whose experiment and config
 * are safe path segments, metrics for every epoch, and, when `expected` is given, the run that was
 * submitted. Returns the result, or why it is refused.
 */
export function checkJobResult(value: unknown, expected?: RunSpec): RunJobResult | string {
  const parsed = runJobResultShape.safeParse(value);
  if (!parsed.success) return `its result is not a run's record and metrics: ${firstIssue(parsed.error)}`;
  const result = value as RunJobResult;
  if (!isFinished(result)) return `its result does not hold every epoch of the run`;
  if (expected !== undefined && JSON.stringify(result.record.run) !== JSON.stringify(expected))
    return 'its result is of another run than the one submitted';
  return result;
}

/** True when `out` already holds the finished run. */
export function isCollected(out: string, run: RunSpec): boolean {
  return isRunComplete(runDir(out, run.experiment, run.config, run.seed), run);
}

/** A field of a queued run's spec as text, whatever JSON value the queue holds there. */
function asText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}

/**
 * A queued run that failed for good, as listed in `failed.json` and REPORT.md: its reason's first
 * line, redacted. `run` is the job's run as the queue holds it (any JSON value): names that are not
 * strings are written as JSON text, and a seed that is not an integer >= 0 as -1, so that the list
 * always stays readable.
 */
export function failedRun(run: unknown, reason: unknown): SkippedRun {
  const r = (typeof run === 'object' && run !== null ? run : {}) as Record<string, unknown>;
  const seed = Number.isSafeInteger(r.seed) && (r.seed as number) >= 0 ? (r.seed as number) : -1;
  const line = redact(asText(reason).split('\n')[0] ?? '');
  return { experiment: asText(r.experiment), config: asText(r.config), seed, reason: line };
}

/** Records the failed runs in `failed.json` (and drops those that have since been collected). */
export function recordFailed(
  out: string,
  failed: readonly SkippedRun[],
  collected: readonly RunSpec[],
): void {
  recordSkipped(out, failed, collected, FAILED_FILE);
}

/** The `run` of a job's data as the queue holds it (anything). */
function jobRun(data: unknown): unknown {
  return typeof data === 'object' && data !== null ? (data as { run?: unknown }).run : undefined;
}

/** What `collectQueue` found. */
export interface CollectOutcome {
  readonly written: number;
  readonly present: number;
  readonly failed: readonly SkippedRun[];
}

/**
 * `fbt-repro collect`: writes every completed job on the queue whose run `out` does not hold yet
 * (after `checkJobResult`), and records the jobs that failed for good, or whose result is refused,
 * in `failed.json`.
 */
export async function collectQueue(target: QueueTarget, out: string): Promise<CollectOutcome> {
  await checkReachable(target);
  const queue = new Queue<RunJobData, RunJobResult>(QUEUE_NAME, { connection: target.options });
  queue.on('error', () => undefined);
  try {
    let written = 0;
    let present = 0;
    const collected: RunSpec[] = [];
    const failed: SkippedRun[] = [];
    for (const job of await queue.getJobs(['completed'])) {
      const result = checkJobResult(job.returnvalue);
      if (typeof result === 'string') failed.push(failedRun(jobRun(job.data), `refused: ${result}`));
      else if (isCollected(out, result.record.run)) present++;
      else {
        writeJobResult(out, result);
        written++;
      }
      if (typeof result !== 'string') collected.push(result.record.run);
    }
    for (const job of await queue.getJobs(['failed']))
      failed.push(failedRun(jobRun(job.data), job.failedReason));
    recordFailed(out, failed, collected);
    return { written, present, failed };
  } finally {
    await queue.close();
  }
}
