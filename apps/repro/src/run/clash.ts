import { UsageError } from '../errors';
import type { RunSpec } from '../experiments/types';
import { preview } from '../preview';
import { runDir } from '../results/layout';
import { finishedRun } from '../results/store';

/** Differences listed in a clash message; the rest are counted. */
const SHOWN_DIFFERENCES = 3;

/** Every leaf of a JSON value by its key path, e.g. `settings.optimizer.lr` → 0.1. */
function leaves(value: unknown, path: string, into: Map<string, unknown>): Map<string, unknown> {
  if (value !== null && typeof value === 'object' && Object.keys(value).length > 0) {
    for (const [key, child] of Object.entries(value))
      leaves(child, path === '' ? key : `${path}.${key}`, into);
  } else into.set(path, value);
  return into;
}

/** The fields in which two run specs differ, as `settings.epochs 30 → 1`. */
function specDifferences(recorded: RunSpec, planned: RunSpec): string[] {
  const a = leaves(recorded, '', new Map());
  const b = leaves(planned, '', new Map());
  return [...new Set([...a.keys(), ...b.keys()])]
    .filter((key) => JSON.stringify(a.get(key)) !== JSON.stringify(b.get(key)))
    .map((key) => `${key} ${preview(a.get(key))} → ${preview(b.get(key))}`);
}

/**
 * Refuses, before any work, to replace a finished run whose recorded spec differs from the planned
 * one (unless `overwrite`): a UsageError names the run directory and the differing fields.
 */
export function checkNoClash(runs: readonly RunSpec[], out: string, overwrite: boolean): void {
  if (overwrite) return;
  for (const run of runs) {
    const dir = runDir(out, run.experiment, run.config, run.seed);
    const found = finishedRun(dir);
    if (found === null) continue;
    const differences = specDifferences(found.record.run, run);
    if (differences.length === 0) continue;
    const shown = differences.slice(0, SHOWN_DIFFERENCES).join(', ');
    const more =
      differences.length > SHOWN_DIFFERENCES ? ` and ${differences.length - SHOWN_DIFFERENCES} more` : '';
    throw new UsageError(
      `${dir} holds a finished run with other settings (recorded → planned: ${shown}${more}); pass --overwrite to replace it, or choose another --out`,
    );
  }
}
