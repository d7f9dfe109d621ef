import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { RunSpec } from '../experiments/types';
import { sweepStaleTemps, writeFileAtomic } from './atomic';
import { RUN_FILES } from './layout';
import type { EpochMetrics, LoadedRun, RunRecord } from './records';
import { epochMetricsShape, firstIssue, runRecordShape } from './shape';

/**
 * Starts a run's directory: sweeps the temporary files of killed writers, removes the metrics of an
 * earlier run (so a crash before the first epoch cannot pair them with this record) and writes
 * `config.json`.
 */
export function writeRunRecord(dir: string, record: RunRecord): void {
  sweepStaleTemps(dir);
  rmSync(join(dir, RUN_FILES.metrics), { force: true });
  writeFileAtomic(join(dir, RUN_FILES.config), `${JSON.stringify(record, null, 2)}\n`);
}

/**
 * Rewrites a finished run's `config.json` with what training measured besides the metrics
 * (atomically, its metrics kept). A crash before it leaves the record as `writeRunRecord` wrote it:
 * a finished run without the measurements, which reads like one from before they existed.
 */
export function completeRunRecord(dir: string, record: RunRecord): void {
  writeFileAtomic(join(dir, RUN_FILES.config), `${JSON.stringify(record, null, 2)}\n`);
}

/**
 * Rewrites a run's `metrics.jsonl` with every epoch so far (atomically: never a half-written line).
 * Only the `final` version (the run's last epoch) is flushed to disk: an unfinished run is trained
 * again anyway, and a flush per epoch cost the cheap experiments minutes.
 */
export function writeMetrics(dir: string, metrics: readonly EpochMetrics[], final = true): void {
  writeFileAtomic(join(dir, RUN_FILES.metrics), metrics.map((m) => `${JSON.stringify(m)}\n`).join(''), {
    durable: final,
  });
}

/**
 * A record as this version writes it: records from before the tiers have `quick: boolean` instead
 * of `tier`, and their runs were the quick tier or the paper's settings.
 */
function withTier(record: unknown): unknown {
  const run = (record as { run?: { tier?: unknown; quick?: unknown } } | null)?.run;
  if (typeof run !== 'object' || run === null || run.tier !== undefined || typeof run.quick !== 'boolean')
    return record;
  const { quick, ...rest } = run;
  return { ...(record as object), run: { ...rest, tier: quick ? 'quick' : 'full' } };
}

/** What is in a run directory: a readable run, or why it is not one. */
export type RunReading =
  { readonly ok: true; readonly run: LoadedRun } | { readonly ok: false; readonly reason: string };

function readJson(path: string, what: string): { value: unknown } | { reason: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { reason: `${what} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  try {
    return { value: JSON.parse(text) };
  } catch {
    return { reason: `${what} is not valid JSON` };
  }
}

function readRecord(dir: string): { record: RunRecord } | { reason: string } {
  const read = readJson(join(dir, RUN_FILES.config), RUN_FILES.config);
  if ('reason' in read) return read;
  const record = withTier(read.value);
  const parsed = runRecordShape.safeParse(record);
  if (!parsed.success)
    return { reason: `${RUN_FILES.config} has the wrong shape: ${firstIssue(parsed.error)}` };
  // The value as written, not zod's copy: key order matters to the spec comparison of resume.
  return { record: record as RunRecord };
}

function readMetrics(dir: string): { metrics: EpochMetrics[] } | { reason: string } {
  const path = join(dir, RUN_FILES.metrics);
  if (!existsSync(path))
    return { reason: `no ${RUN_FILES.metrics} (the run stopped before its first epoch)` };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return {
      reason: `${RUN_FILES.metrics} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    };
  }
  const metrics: EpochMetrics[] = [];
  const lines = text.split('\n').filter((line) => line.length > 0);
  for (const [i, line] of lines.entries()) {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return { reason: `${RUN_FILES.metrics} line ${i + 1} is not valid JSON` };
    }
    const parsed = epochMetricsShape.safeParse(value);
    if (!parsed.success)
      return {
        reason: `${RUN_FILES.metrics} line ${i + 1} has the wrong shape: ${firstIssue(parsed.error)}`,
      };
    metrics.push(value as EpochMetrics);
  }
  return { metrics };
}

/** Reads a run directory; a missing, unparsable or wrongly shaped file is a reason, never an exception. */
export function readRun(dir: string): RunReading {
  const record = readRecord(dir);
  if ('reason' in record) return { ok: false, reason: record.reason };
  const metrics = readMetrics(dir);
  if ('reason' in metrics) return { ok: false, reason: metrics.reason };
  return { ok: true, run: { record: record.record, metrics: metrics.metrics } };
}

/** True when a loaded run has its epochs 0..E all recorded. */
export function isFinished(run: LoadedRun): boolean {
  const epochs = run.record.run.settings.epochs;
  return run.metrics.length === epochs + 1 && run.metrics.every((m, i) => m.epoch === i);
}

/** A finished run found in `dir` (null when the directory holds none). */
export function finishedRun(dir: string): LoadedRun | null {
  const reading = readRun(dir);
  return reading.ok && isFinished(reading.run) ? reading.run : null;
}

/** True when `dir` holds a finished run of exactly `run`: same spec and every epoch recorded. */
export function isRunComplete(dir: string, run: RunSpec): boolean {
  const found = finishedRun(dir);
  return found !== null && JSON.stringify(found.record.run) === JSON.stringify(run);
}

/** The sub-directories of `dir`, sorted; an unreadable `dir` is noted in `excluded` and has none. */
function subdirs(out: string, dir: string, excluded: ExcludedRun[]): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    excluded.push({ dir: relative(out, dir) || '.', reason: `the folder cannot be read (${code})` });
    return [];
  }
}

/** A run directory left out of the report, with why (path relative to the results directory). */
export interface ExcludedRun {
  readonly dir: string;
  readonly reason: string;
}

/** Every run found under a results directory. */
export interface Results {
  /** Finished runs grouped by experiment (sorted by name), then in config/seed directory order. */
  readonly byExperiment: Map<string, LoadedRun[]>;
  /** Run directories (`<experiment>/<config>/seed-<s>/`) that hold no finished run, with why. */
  readonly excluded: readonly ExcludedRun[];
}

function unfinishedReason(run: LoadedRun): string {
  const epochs = run.record.run.settings.epochs;
  const done = run.metrics.filter((m) => m.epoch >= 1).length;
  return run.metrics.every((m, i) => m.epoch === i)
    ? `unfinished: ${done} of ${epochs} epochs recorded`
    : `${RUN_FILES.metrics} does not list epochs 0..${epochs} in order`;
}

/** The finished run in `dir`, or why there is none. */
function finishedOrReason(dir: string): LoadedRun | string {
  const reading = readRun(dir);
  if (!reading.ok) return reading.reason;
  return isFinished(reading.run) ? reading.run : unfinishedReason(reading.run);
}

/**
 * Every run under `<out>/<experiment>/<config>/seed-<s>/`: the finished ones, and the others
 * (interrupted, started but never trained, corrupt, unreadable folders) with the reason they are
 * left out. Never throws for what it finds under `out`.
 */
export function loadResults(out: string): Results {
  const byExperiment = new Map<string, LoadedRun[]>();
  const excluded: ExcludedRun[] = [];
  for (const experiment of subdirs(out, out, excluded)) {
    const runs: LoadedRun[] = [];
    for (const config of subdirs(out, join(out, experiment), excluded)) {
      const seedDirs = subdirs(out, join(out, experiment, config), excluded);
      for (const seedDir of seedDirs.filter((d) => d.startsWith('seed-'))) {
        const dir = join(out, experiment, config, seedDir);
        const found = finishedOrReason(dir);
        if (typeof found === 'string') excluded.push({ dir: relative(out, dir), reason: found });
        else runs.push(found);
      }
    }
    if (runs.length > 0) byExperiment.set(experiment, runs);
  }
  return { byExperiment, excluded };
}
