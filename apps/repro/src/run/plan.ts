import { UsageError } from '../errors';
import { experimentNames, findExperiment } from '../experiments';
import type { ExperimentSpec, RunSettings, RunSpec } from '../experiments/types';

/** Overrides from the command line, applied to every config of every selected experiment. */
export interface RunOverrides {
  readonly seeds?: readonly number[];
  readonly epochs?: number;
  readonly batchSize?: number;
  readonly lr?: number;
}

/** The experiment specs named on the command line (`all` = every built-in), in `list` order. */
export function selectExperiments(names: readonly string[], quick: boolean): ExperimentSpec[] {
  const wanted = names.includes('all') ? experimentNames() : names;
  return wanted.map((name) => {
    const definition = findExperiment(name);
    if (definition === undefined)
      throw new UsageError(
        `unknown experiment '${name}'; valid: ${[...experimentNames(), 'all'].join(', ')}`,
      );
    return quick ? definition.quick : definition.full;
  });
}

function applyOverrides(settings: RunSettings, o: RunOverrides): RunSettings {
  return {
    ...settings,
    epochs: o.epochs ?? settings.epochs,
    batchSize: o.batchSize ?? settings.batchSize,
    optimizer: o.lr === undefined ? settings.optimizer : { ...settings.optimizer, lr: o.lr },
  };
}

/** Every run (config × seed) of the given experiments, with the overrides applied. */
export function planRuns(
  experiments: readonly ExperimentSpec[],
  overrides: RunOverrides,
  quick: boolean,
  backend: string,
): RunSpec[] {
  return experiments.flatMap((e) =>
    e.configs.flatMap((c) =>
      (overrides.seeds ?? e.seeds).map((seed) => ({
        experiment: e.name,
        config: c.id,
        seed,
        settings: applyOverrides(c.settings, overrides),
        quick,
        backend,
      })),
    ),
  );
}
