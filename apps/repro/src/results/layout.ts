import { join } from 'node:path';

/**
 * A name that is one safe path segment (experiment and config ids): letters, digits, `.`, `_`, `-`,
 * starting with a letter or digit, so never `.`, `..`, a hidden name or a path.
 */
export const PATH_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

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
