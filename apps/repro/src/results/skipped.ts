import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SkippedRun } from '../run/data-sources';
import { UsageError } from '../errors';
import { writeFileAtomic } from './atomic';

/** The file, at the top of a results directory, listing the runs left out for want of their data. */
export const SKIPPED_FILE = 'skipped.json';

/** The file, at the top of a results directory, listing the queued runs that failed (same format). */
export const FAILED_FILE = 'failed.json';

function key(r: SkippedRun): string {
  return `${r.experiment}/${r.config}/${r.seed}`;
}

function isSkippedRun(value: unknown): value is SkippedRun {
  const r = value as Partial<SkippedRun> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.experiment === 'string' &&
    typeof r.config === 'string' &&
    Number.isSafeInteger(r.seed) &&
    typeof r.reason === 'string'
  );
}

/**
 * The skipped runs recorded under `out` (none when the file is absent; an error names a corrupt file),
 * or those of another list of the same format (`file`, e.g. FAILED_FILE).
 */
export function readSkipped(out: string, file: string = SKIPPED_FILE): SkippedRun[] {
  const path = join(out, file);
  if (!existsSync(path)) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed) || !parsed.every(isSkippedRun)) {
    throw new UsageError(`${path} is not a list of { experiment, config, seed, reason }`);
  }
  return parsed;
}

/**
 * Records runs left out for want of their data (or, with `file`, another list such as FAILED_FILE):
 * merged with those already recorded (a later reason replaces an earlier one), minus `trained` (runs
 * that have since been trained), sorted, written atomically.
 */
export function recordSkipped(
  out: string,
  skipped: readonly SkippedRun[],
  trained: readonly { experiment: string; config: string; seed: number }[],
  file: string = SKIPPED_FILE,
): void {
  const path = join(out, file);
  const merged = new Map(readSkipped(out, file).map((r) => [key(r), r]));
  for (const r of skipped) merged.set(key(r), r);
  for (const r of trained) merged.delete(key({ ...r, reason: '' }));
  if (merged.size === 0 && !existsSync(path)) return;
  const sorted = [...merged.values()].sort((a, b) => key(a).localeCompare(key(b)));
  writeFileAtomic(path, `${JSON.stringify(sorted, null, 2)}\n`);
}
