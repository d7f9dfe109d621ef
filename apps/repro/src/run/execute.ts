import type { RunSpec } from '../experiments/types';
import { runDir } from '../results/layout';
import type { EpochMetrics } from '../results/records';
import { writeMetrics, writeRunRecord } from '../results/store';
import { trainRun } from '../train/train-run';
import { startBackend, type BackendStatus } from './backend';
import { currentEnvironment } from './environment';

/**
 * Trains one run on its backend (started in this thread first) and writes its files under
 * `<out>/<experiment>/<config>/seed-<s>/`: `config.json` (with the backend and its mode) first, then
 * `metrics.jsonl` rewritten (atomically) after every epoch. `onEpoch` sees each line. Returns the
 * backend's status.
 */
export async function executeRun(
  run: RunSpec,
  out: string,
  onEpoch: (m: EpochMetrics) => void,
): Promise<BackendStatus> {
  const backend = await startBackend(run.backend);
  const dir = runDir(out, run.experiment, run.config, run.seed);
  writeRunRecord(dir, { run, environment: currentEnvironment(backend) });
  const lines: EpochMetrics[] = [];
  await trainRun(run, (m) => {
    lines.push(m);
    writeMetrics(dir, lines, m.epoch === run.settings.epochs);
    onEpoch(m);
  });
  return backend;
}
