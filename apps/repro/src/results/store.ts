import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunSpec } from '../experiments/types';
import { UsageError } from '../errors';
import { writeFileAtomic } from './atomic';
import { RUN_FILES } from './layout';
import type { EpochMetrics, LoadedRun, RunRecord } from './records';

/** Canonical JSON (keys in insertion order of the spec builders) used to compare run specs. */
function specKey(run: RunSpec): string {
  return JSON.stringify(run);
}

/** Writes a run's `config.json`. */
export function writeRunRecord(dir: string, record: RunRecord): void {
  writeFileAtomic(join(dir, RUN_FILES.config), `${JSON.stringify(record, null, 2)}\n`);
}

/** Rewrites a run's `metrics.jsonl` with every epoch so far (atomically: never a half-written line). */
export function writeMetrics(dir: string, metrics: readonly EpochMetrics[]): void {
  writeFileAtomic(join(dir, RUN_FILES.metrics), metrics.map((m) => `${JSON.stringify(m)}\n`).join(''));
}

/**
 * A record as this version writes it: records from before the tiers have `quick: boolean` instead
 * of `tier`, and their runs were the quick tier or the paper's settings.
 */
function withTier(record: RunRecord): RunRecord {
  const run = record.run as RunSpec & { quick?: boolean };
  if (run.tier !== undefined || typeof run.quick !== 'boolean') return record;
  const { quick, ...rest } = run;
  return { ...record, run: { ...rest, tier: quick ? 'quick' : 'full' } };
}

/** Reads a run directory; throws a UsageError naming the file if it is missing or corrupt. */
export function loadRun(dir: string): LoadedRun {
  const configPath = join(dir, RUN_FILES.config);
  const metricsPath = join(dir, RUN_FILES.metrics);
  let record: RunRecord;
  let metrics: EpochMetrics[];
  try {
    record = withTier(JSON.parse(readFileSync(configPath, 'utf8')) as RunRecord);
  } catch (error) {
    throw new UsageError(`cannot read ${configPath}: ${(error as Error).message}`);
  }
  try {
    metrics = readFileSync(metricsPath, 'utf8')
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as EpochMetrics);
  } catch (error) {
    throw new UsageError(`cannot read ${metricsPath}: ${(error as Error).message}`);
  }
  return { record, metrics };
}

/** True when `dir` holds a finished run of exactly `run`: same spec and every epoch recorded. */
export function isRunComplete(dir: string, run: RunSpec): boolean {
  if (!existsSync(join(dir, RUN_FILES.config)) || !existsSync(join(dir, RUN_FILES.metrics))) return false;
  try {
    const loaded = loadRun(dir);
    return specKey(loaded.record.run) === specKey(run) && isFinished(loaded);
  } catch {
    return false;
  }
}

/** True when a loaded run has its epochs 0..E all recorded. */
export function isFinished(run: LoadedRun): boolean {
  const epochs = run.record.run.settings.epochs;
  return run.metrics.length === epochs + 1 && run.metrics.every((m, i) => m.epoch === i);
}

function subdirs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/**
 * Every finished run under `<out>/<experiment>/`, grouped by experiment (sorted by name) then in
 * config/seed directory order. Unfinished runs (interrupted) are left out.
 */
export function loadResults(out: string): Map<string, LoadedRun[]> {
  const byExperiment = new Map<string, LoadedRun[]>();
  for (const experiment of subdirs(out)) {
    const runs: LoadedRun[] = [];
    for (const config of subdirs(join(out, experiment))) {
      for (const seedDir of subdirs(join(out, experiment, config)).filter((d) => d.startsWith('seed-'))) {
        const dir = join(out, experiment, config, seedDir);
        if (!existsSync(join(dir, RUN_FILES.config))) continue;
        const run = loadRun(dir);
        if (isFinished(run)) runs.push(run);
      }
    }
    if (runs.length > 0) byExperiment.set(experiment, runs);
  }
  return byExperiment;
}
