import { Queue, type Job } from 'bullmq';
import { forTerminal } from '../escape';
import type { RunSpec } from '../experiments/types';
import type { SkippedRun } from '../run/data-sources';
import { formatDuration, type ProgressSink } from '../run/progress';
import { runWork } from '../run/workload';
import { checkJobResult, failedRun, isCollected, recordFailed, writeJobResult } from './collect';
import { checkReachable, type QueueTarget } from './connection';
import { jobIdOf, QUEUE_NAME, type RunJobData, type RunJobProgress, type RunJobResult } from './jobs';

/** Settings of `fbt-repro run … --queue URL`. */
export interface SubmitOptions {
  readonly target: QueueTarget;
  readonly out: string;
  /** Tries per job (the first included); a failed try is retried with exponential backoff. */
  readonly attempts: number;
  /** Delay before the first retry, in ms (doubled for each further one). */
  readonly backoffMs: number;
  /** How often the submitter looks at its jobs, in ms. */
  readonly pollMs: number;
  readonly sink: ProgressSink;
}

/** What `submitSweep` did. */
export interface SweepOutcome {
  /** Runs already in `out` before the sweep (not enqueued). */
  readonly present: number;
  /** Runs collected from the queue into `out`. */
  readonly collected: readonly RunSpec[];
  readonly failed: readonly SkippedRun[];
  /** Per collected job: ms from enqueue to start, and from finish to written. */
  readonly overheads: readonly { readonly wait: number; readonly collect: number }[];
  readonly seconds: number;
}

type RunQueue = Queue<RunJobData, RunJobResult>;

interface Pending {
  readonly run: RunSpec;
  readonly id: string;
  state: string;
  progress: RunJobProgress | null;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2;
}

/** One line: `queue: done 3/10, active 2, failed 0, waiting 5, ETA 12s`. */
function statusLine(
  total: number,
  done: number,
  failed: number,
  pending: readonly Pending[],
  eta: number | null,
): string {
  const active = pending.filter((p) => p.state === 'active').length;
  return `queue: done ${done}/${total}, active ${active}, failed ${failed}, waiting ${pending.length - active}, ETA ${eta === null ? '?' : formatDuration(eta)}`;
}

/**
 * Adds the jobs of `runs` that are not on the queue yet, and retries those that failed earlier;
 * jobs that are already there (waiting, running or finished) are left alone, so a resubmitted sweep
 * never duplicates one.
 */
async function enqueue(queue: RunQueue, todo: readonly Pending[], options: SubmitOptions): Promise<number> {
  let added = 0;
  const fresh: Pending[] = [];
  for (const p of todo) {
    const job = await queue.getJob(p.id);
    if (job === undefined) fresh.push(p);
    else if ((await job.getState()) === 'failed') await job.retry('failed');
  }
  if (fresh.length > 0) {
    await queue.addBulk(
      fresh.map((p) => ({
        name: `${p.run.experiment}/${p.run.config}/seed-${p.run.seed}`,
        data: { run: p.run },
        opts: {
          jobId: p.id,
          attempts: options.attempts,
          backoff: { type: 'exponential', delay: options.backoffMs },
          removeOnComplete: false,
          removeOnFail: false,
        },
      })),
    );
    added = fresh.length;
  }
  return added;
}

/**
 * Runs a sweep through the queue: enqueues one job per run not yet in `out`, shows one progress
 * line (done / active / failed / waiting, ETA), writes each finished run into `out` as it arrives,
 * and records runs that failed for good in `failed.json`. A job that vanished from Redis (a restart
 * without persistence) is enqueued again. Resolves when every run is collected or failed.
 */
export async function submitSweep(runs: readonly RunSpec[], options: SubmitOptions): Promise<SweepOutcome> {
  const { sink, out } = options;
  await checkReachable(options.target);
  const started = Date.now();
  const queue: RunQueue = new Queue(QUEUE_NAME, { connection: options.target.options });
  queue.on('error', () => undefined);
  const todo = runs.filter((run) => !isCollected(out, run));
  const present = runs.length - todo.length;
  let pending: Pending[] = todo.map((run) => ({ run, id: jobIdOf(run), state: 'waiting', progress: null }));
  const collected: RunSpec[] = [];
  const failed: SkippedRun[] = [];
  const overheads: { wait: number; collect: number }[] = [];
  const totalWork = todo.reduce((sum, r) => sum + runWork(r.settings), 0);
  let doneWork = 0;
  let lastLine = '';
  try {
    const added = await enqueue(queue, pending, options);
    sink.write(
      `queue ${options.target.display}: ${runs.length} runs, ${present} already in ${out}, ${added} enqueued, ${pending.length - added} already on the queue\n`,
    );
    while (pending.length > 0) {
      const next: Pending[] = [];
      for (const p of pending) {
        // The state first, then the job: a job read before its state could lack the result of a
        // run that completed in between.
        const state = await queue.getJobState(p.id);
        const job: Job<RunJobData, RunJobResult> | undefined =
          state === 'unknown' ? undefined : await queue.getJob(p.id);
        if (job === undefined) {
          sink.write(`${p.id}: gone from Redis (restarted without persistence?); enqueued again\n`);
          await enqueue(queue, [p], options);
          next.push(p);
          continue;
        }
        p.state = state;
        const result = p.state === 'completed' ? checkJobResult(job.returnvalue, p.run) : null;
        if (typeof result === 'string') {
          failed.push(failedRun(p.run, `refused: ${result}`));
          doneWork += runWork(p.run.settings);
        } else if (result !== null) {
          writeJobResult(out, result);
          collected.push(p.run);
          doneWork += runWork(p.run.settings);
          // Only jobs this sweep saw finish: one collected from an earlier sweep says nothing of the queue.
          if (job.finishedOn !== undefined && job.finishedOn >= started && job.processedOn !== undefined)
            overheads.push({ wait: job.processedOn - job.timestamp, collect: Date.now() - job.finishedOn });
        } else if (p.state === 'failed') {
          failed.push(failedRun(p.run, job.failedReason));
          doneWork += runWork(p.run.settings);
        } else {
          p.progress = typeof job.progress === 'object' ? (job.progress as unknown as RunJobProgress) : null;
          next.push(p);
        }
      }
      pending = next;
      const elapsed = (Date.now() - started) / 1000;
      let work = doneWork;
      for (const p of pending)
        if (p.state === 'active' && p.progress !== null)
          work += (runWork(p.run.settings) * p.progress.epoch) / Math.max(1, p.progress.epochs);
      const eta = work > 0 ? (elapsed * (totalWork - work)) / work : null;
      const line = statusLine(todo.length, collected.length, failed.length, pending, eta);
      if (sink.isTTY) sink.write(`\r${line}\x1b[K`);
      else if (line.replace(/, ETA .*/, '') !== lastLine.replace(/, ETA .*/, '')) sink.write(`${line}\n`);
      lastLine = line;
      if (pending.length > 0) await new Promise((r) => setTimeout(r, options.pollMs));
    }
    if (sink.isTTY) sink.write('\n');
  } finally {
    await queue.close();
  }
  recordFailed(out, failed, collected);
  return { present, collected, failed, overheads, seconds: (Date.now() - started) / 1000 };
}

/** The submitter's final line: counts, the failed runs with their reasons, and the queue overhead. */
export function sweepSummary(outcome: SweepOutcome): string {
  const { collected, failed, overheads } = outcome;
  const failedText =
    failed.length === 0
      ? '0 failed'
      : `${failed.length} failed: ${failed.map((f) => forTerminal(`${f.experiment}/${f.config} seed ${f.seed} (${f.reason})`)).join('; ')}`;
  const overhead =
    overheads.length === 0
      ? ''
      : `; queue overhead median ${median(overheads.map((o) => o.wait)).toFixed(0)} ms enqueue→start, ${median(overheads.map((o) => o.collect)).toFixed(0)} ms finish→collected`;
  return `trained ${collected.length} runs on the queue (${outcome.present} already finished, ${failedText}) in ${outcome.seconds.toFixed(1)} s${overhead}`;
}
