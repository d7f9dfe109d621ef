import { readFileSync } from 'node:fs';
import { UsageError } from '../errors';
import { EXPERIMENT_GROUPS, experimentNames } from '../experiments';
import type { ExperimentSpec, RunSpec, Tier } from '../experiments/types';
import { validateUserExperiment } from '../experiments/validate';
import { checkBackendName } from '../run/backend';
import { checkNoClash } from '../run/clash';
import type { DataPolicy } from '../run/data-sources';
import { checkOutDir } from '../run/out-dir';
import { filterConfigs, planRuns, selectableNames, selectExperiments, type RunOverrides } from '../run/plan';
import { checkWasmMemory } from '../run/wasm-memory';
import { checkRule, checkRunRules } from '../train/preflight';

/** The options of `run`, as commander parses them. */
export interface RunOptions {
  quick?: boolean;
  full?: boolean;
  configs?: string[];
  seeds?: number[];
  epochs?: number;
  batchSize?: number;
  lr?: number;
  backend: string;
  workers: number;
  out: string;
  config?: string;
  queue?: string;
  attempts?: number;
  overwrite?: boolean;
}

function loadUserExperiment(path: string): ExperimentSpec {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read config file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return validateUserExperiment(json, path, checkRule);
}

function tierOf(options: RunOptions): Tier {
  return options.quick === true ? 'quick' : options.full === true ? 'full' : 'default';
}

/**
 * Plans the runs of `run` and checks them (rules, backend, the results directory, finished runs
 * with other settings) before anything is written.
 */
export function prepareRuns(names: readonly string[], options: RunOptions): RunSpec[] {
  if (names.length === 0 && options.config === undefined) {
    throw new UsageError(
      `run: name at least one experiment (${selectableNames().join(', ')}) or --config FILE.json`,
    );
  }
  const tier = tierOf(options);
  let experiments = selectExperiments(names, tier);
  const user = options.config === undefined ? undefined : loadUserExperiment(options.config);
  if (user !== undefined && experimentNames().includes(user.name)) {
    throw new UsageError(
      `${options.config}: name "${user.name}" is a built-in experiment; choose another name`,
    );
  }
  if (options.configs !== undefined) experiments = filterConfigs(experiments, options.configs);
  const overrides: RunOverrides = {
    ...(options.seeds === undefined ? {} : { seeds: options.seeds }),
    ...(options.epochs === undefined ? {} : { epochs: options.epochs }),
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    ...(options.lr === undefined ? {} : { lr: options.lr }),
  };
  checkBackendName(options.backend);
  const runs = [
    ...planRuns(experiments, overrides, tier, options.backend),
    ...(user === undefined ? [] : planRuns([user], overrides, 'full', options.backend)),
  ];
  checkRunRules(runs);
  checkWasmMemory(runs);
  checkOutDir(options.out);
  checkNoClash(runs, options.out, options.overwrite === true);
  return runs;
}

/**
 * What to do about missing image data: fetch it always; leave out the runs that need it only when the
 * user asked for a group (`all`, `beyond`) in a scaled tier (the default `pnpm repro`), not for `--full` or a named
 * experiment.
 */
export function dataPolicy(names: readonly string[], options: RunOptions): DataPolicy {
  return {
    fetch: true,
    skip: names.some((n) => Object.hasOwn(EXPERIMENT_GROUPS, n)) && tierOf(options) !== 'full',
  };
}
