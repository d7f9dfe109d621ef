import type { RunSpec } from '../experiments/types';
import { runDir } from '../results/layout';
import type { EpochMetrics } from '../results/records';
import { completeRunRecord, writeMetrics, writeRunRecord } from '../results/store';
import { trainRun } from '../train/train-run';
import { startBackend, type BackendStatus } from './backend';
import { currentEnvironment } from './environment';

/**
 * Trains one run on its backend (started in this thread first) and writes its files under
 * `<out>/<experiment>/<config>/seed-<s>/`: `config.json` (with the backend and its mode) first, then
 * `metrics.jsonl` rewritten (atomically) after every epoch, and last `config.json` again with what
 * training measured besides the metrics (the inference timing of a model on bits), when anything.
 * `onEpoch` sees each line. Returns the backend's status.
 */
export async function executeRun(
  run: RunSpec,
  out: string,
  onEpoch: (m: EpochMetrics) => void,
): Promise<BackendStatus> {
  const backend = await startBackend(run.backend);
  const dir = runDir(out, run.experiment, run.config, run.seed);
  const record = { run, environment: currentEnvironment(backend) };
  writeRunRecord(dir, record);
  const lines: EpochMetrics[] = [];
  const measured = await trainRun(run, (m) => {
    lines.push(m);
    writeMetrics(dir, lines, m.epoch === run.settings.epochs);
    onEpoch(m);
  });
  if (measured.inference !== undefined) completeRunRecord(dir, { ...record, ...measured });
  return backend;
}
