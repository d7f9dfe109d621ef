import { createHash } from 'node:crypto';
import { findImageFiles } from '@fbt/datasets/node';
import { UsageError } from '../errors';
import { TIERS, type RunSpec } from '../experiments/types';
import { validateUserExperiment } from '../experiments/validate';
import { PATH_SEGMENT } from '../results/layout';
import type { EpochMetrics, RunRecord } from '../results/records';
import { checkBackendName } from '../run/backend';
import { IMAGE_DATASETS, IMAGE_SOURCES, type ImageDatasetName } from '../run/data-sources';
import { currentEnvironment } from '../run/environment';
import { checkWasmMemory } from '../run/wasm-memory';
import { checkRule, checkRunRules } from '../train/preflight';

/** The BullMQ queue every fbt-repro submitter and worker on one Redis database shares. */
export const QUEUE_NAME = 'fbt-repro';

/** The data of one job: the run to train, exactly as a local run would plan it. */
export interface RunJobData {
  readonly run: RunSpec;
}

/** What a worker returns for a finished job: the run's `config.json` record and its `metrics.jsonl` rows. */
export interface RunJobResult {
  readonly record: RunRecord;
  readonly metrics: readonly EpochMetrics[];
}

/** Per-epoch progress a worker reports through `job.updateProgress`. */
export interface RunJobProgress {
  readonly epoch: number;
  readonly epochs: number;
  readonly seconds: number;
}

/** The versions of the app and the @fbt packages on this machine (part of every job's identity). */
export function packageVersions(): Readonly<Record<string, string>> {
  return currentEnvironment({ name: 'cpu', mode: null, fallbackReason: null }).packages;
}

/**
 * The id of a run's job: experiment, config and seed (readable), then a hash of the whole run spec
 * (settings, tier, backend) and the package versions. The same run always gets the same id, so
 * re-submitting a sweep never duplicates a job; a changed setting or version gives a new one.
 */
export function jobIdOf(
  run: RunSpec,
  versions: Readonly<Record<string, string>> = packageVersions(),
): string {
  const hash = createHash('sha256').update(JSON.stringify({ run, versions })).digest('hex').slice(0, 16);
  return `${run.experiment}.${run.config}.seed-${run.seed}.${hash}`;
}

const SETTINGS_KEYS = [
  'model',
  'dataset',
  'loss',
  'optimizer',
  'forward',
  'rule',
  'epochs',
  'batchSize',
  'probe',
];
const RUN_KEYS = ['experiment', 'config', 'seed', 'settings', 'tier', 'backend'];

function keysOk(value: unknown, keys: readonly string[]): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).every((k) => keys.includes(k)) &&
    keys.every((k) => k in value)
  );
}

/**
 * Checks a planned run's settings as strictly as a config file's (the one schema, its cross-field
 * checks and the forward/rule pair) and that its model fits the wasm backend: the same checks for a
 * queued run and a built-in one. Throws a UsageError naming `source` and the culprit.
 */
export function checkRunSettings(run: RunSpec, source: string): void {
  const s = run.settings;
  validateUserExperiment(
    {
      name: run.experiment,
      model: s.model,
      dataset: s.dataset,
      loss: s.loss,
      optimizer: s.optimizer,
      epochs: s.epochs,
      batchSize: s.batchSize,
      seeds: [run.seed],
      forwards: [s.forward],
      rules: [s.rule],
      probe: s.probe,
    },
    `${source} ${run.experiment}/${run.config} seed ${String(run.seed)}`,
    checkRule,
  );
  checkRunRules([run]);
  checkWasmMemory([run]);
}

/**
 * Checks a job's payload before any training, as strictly as a local run is checked: the run spec's
 * shape and values (through the user-config validator), its forward/rule pair (`checkRunRules`), its
 * backend, and that its image data set is on this machine. Throws a UsageError with one line saying why.
 */
export function validateJobData(data: unknown): RunSpec {
  const source = 'job payload';
  if (!keysOk(data, ['run']) || !keysOk(data.run, RUN_KEYS) || !keysOk(data.run.settings, SETTINGS_KEYS)) {
    throw new UsageError(
      `${source}: expected { run: { ${RUN_KEYS.join(', ')} } } with settings { ${SETTINGS_KEYS.join(', ')} }`,
    );
  }
  const run = data.run as unknown as RunSpec;
  for (const [key, value] of [
    ['experiment', run.experiment],
    ['config', run.config],
  ] as const) {
    if (typeof value !== 'string' || !PATH_SEGMENT.test(value)) {
      throw new UsageError(
        `${source}: "run.${key}" is ${JSON.stringify(value)}; expected a directory-safe name`,
      );
    }
  }
  if (!Number.isSafeInteger(run.seed) || run.seed < 0) {
    throw new UsageError(`${source}: "run.seed" is ${JSON.stringify(run.seed)}; expected an integer >= 0`);
  }
  if (!TIERS.includes(run.tier)) {
    throw new UsageError(
      `${source}: "run.tier" is ${JSON.stringify(run.tier)}; expected one of ${TIERS.join(', ')}`,
    );
  }
  if (typeof run.backend !== 'string') throw new UsageError(`${source}: "run.backend" is not a string`);
  checkBackendName(run.backend);
  checkRunSettings(run, source);
  const dataset = run.settings.dataset.name;
  if ((IMAGE_DATASETS as readonly string[]).includes(dataset)) {
    const { spec, supply } = IMAGE_SOURCES[dataset as ImageDatasetName];
    const { dir, searched } = findImageFiles(spec);
    if (dir === undefined) {
      throw new UsageError(
        `missing data on this worker: ${spec.name} not found in ${searched.join(', ')}; to supply it, ${supply}`,
      );
    }
  }
  return run;
}
