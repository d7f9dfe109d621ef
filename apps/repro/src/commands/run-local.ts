import type { RunSpec } from '../experiments/types';
import { runDir } from '../results/layout';
import { recordSkipped } from '../results/skipped';
import { isRunComplete } from '../results/store';
import { GPU_BACKEND, startBackend } from '../run/backend';
import { provideImageData } from '../run/data-sources';
import { runPool } from '../run/pool';
import { Progress } from '../run/progress';
import { runWork } from '../run/workload';
import type { CliIo } from './context';
import { dataPolicy, type RunOptions } from './run-plan';
import { writeReportWithVerdicts } from './verdicts';

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
 * `run` without `--queue`: provides the image data, trains the unfinished runs on worker threads
 * (longest first; gpu runs one at a time in this thread), records the runs skipped for missing
 * data and writes the report. Returns the exit code: 1 when a run failed, else 0.
 */
export async function trainLocally(
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
  if (trained + runs.length - todo.length > 0) await writeReportWithVerdicts(options.out, io);
  return outcome.failed.length > 0 ? 1 : 0;
}
