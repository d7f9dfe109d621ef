import type { RunSpec } from '../experiments/types';
import type { QueueTarget } from '../queue/connection';
import { submitSweep, sweepSummary } from '../queue/submit';
import type { CliIo } from './context';
import { writeReportWithVerdicts } from './verdicts';

/** The `run` options that matter for a sweep through the queue. */
export interface QueueRunOptions {
  /** The parsed `--queue` URL, its Redis reached (`checkReachable`). */
  readonly target: QueueTarget;
  readonly attempts?: number;
  readonly out: string;
}

/**
 * `fbt-repro run … --queue URL`: enqueues the planned runs, waits for them, writes them into `--out`
 * and builds REPORT.md. Returns the exit code: 1 when a run failed, else 0.
 */
export async function queueRunCommand(
  runs: readonly RunSpec[],
  options: QueueRunOptions,
  io: Pick<CliIo, 'stdout'>,
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
  if (outcome.present + outcome.collected.length > 0) await writeReportWithVerdicts(options.out, io);
  return outcome.failed.length > 0 ? 1 : 0;
}
