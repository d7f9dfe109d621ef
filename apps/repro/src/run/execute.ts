import type { RunSpec } from '../experiments/types';
import { runDir } from '../results/layout';
import type { EpochMetrics } from '../results/records';
import { writeMetrics, writeRunRecord } from '../results/store';
import { trainRun } from '../train/train-run';
import { currentEnvironment } from './environment';

/**
 * Trains one run and writes its files under `<out>/<experiment>/<config>/seed-<s>/`: `config.json`
 * first, then `metrics.jsonl` rewritten (atomically) after every epoch. `onEpoch` sees each line.
 */
export async function executeRun(
  run: RunSpec,
  out: string,
  onEpoch: (m: EpochMetrics) => void,
): Promise<void> {
  const dir = runDir(out, run.experiment, run.config, run.seed);
  writeRunRecord(dir, { run, environment: currentEnvironment(run.backend) });
  const lines: EpochMetrics[] = [];
  await trainRun(run, (m) => {
    lines.push(m);
    writeMetrics(dir, lines);
    onEpoch(m);
  });
}
