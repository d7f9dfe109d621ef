import { join } from 'node:path';

/** File names inside a run directory `<out>/<experiment>/<config>/seed-<s>/`. */
export const RUN_FILES = { config: 'config.json', metrics: 'metrics.jsonl' } as const;

/** The directory of one run. */
export function runDir(out: string, experiment: string, config: string, seed: number): string {
  return join(out, experiment, config, `seed-${seed}`);
}

/** The directory of one experiment's results, summaries and plots. */
export function experimentDir(out: string, experiment: string): string {
  return join(out, experiment);
}

/** The top-level report. */
export function reportPath(out: string): string {
  return join(out, 'REPORT.md');
}
