import { UsageError } from '../errors';
import { EXPERIMENT_GROUPS, experimentNames, findExperiment } from '../experiments';
import type { ExperimentDefinition, ExperimentSpec, RunSettings, RunSpec, Tier } from '../experiments/types';

/** Overrides from the command line, applied to every config of every selected experiment. */
export interface RunOverrides {
  readonly seeds?: readonly number[];
  readonly epochs?: number;
  readonly batchSize?: number;
  readonly lr?: number;
}

/** An experiment's spec in one tier (`full` is the paper's settings). */
export function tierSpec(definition: ExperimentDefinition, tier: Tier): ExperimentSpec {
  return tier === 'full' ? definition.full : definition[tier].spec;
}

/** What a command line may name: every experiment and the groups (`all`, `beyond`). */
export function selectableNames(): string[] {
  return [...experimentNames(), ...Object.keys(EXPERIMENT_GROUPS)];
}

/**
 * The built-in experiments named on the command line, a group (`all`, `beyond`) standing for its
 * experiments, each once, in the order named (a group's in `list` order).
 */
export function selectDefinitions(names: readonly string[]): ExperimentDefinition[] {
  const wanted = names.flatMap((name) =>
    Object.hasOwn(EXPERIMENT_GROUPS, name)
      ? EXPERIMENT_GROUPS[name as keyof typeof EXPERIMENT_GROUPS].map((d) => d.full.name)
      : [name],
  );
  return [...new Set(wanted)].map((name) => {
    const definition = findExperiment(name);
    if (definition === undefined)
      throw new UsageError(`unknown experiment '${name}'; valid: ${selectableNames().join(', ')}`);
    return definition;
  });
}

/** The experiment specs named on the command line, in one tier. */
export function selectExperiments(names: readonly string[], tier: Tier): ExperimentSpec[] {
  return selectDefinitions(names).map((d) => tierSpec(d, tier));
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

/**
 * Keeps the configs whose id matches one of `patterns` (`*` matches any run of characters); a
 * pattern that matches no config of any selected experiment is an error naming the valid ids.
 */
export function filterConfigs(
  experiments: readonly ExperimentSpec[],
  patterns: readonly string[],
): ExperimentSpec[] {
  const regexps = patterns.map(globToRegExp);
  const ids = experiments.flatMap((e) => e.configs.map((c) => c.id));
  patterns.forEach((pattern, i) => {
    if (!ids.some((id) => regexps[i]!.test(id))) {
      const shown = ids.slice(0, 12).join(', ');
      throw new UsageError(
        `--configs: '${pattern}' matches no config; valid ids: ${shown}${ids.length > 12 ? `, … (${ids.length} in all)` : ''}`,
      );
    }
  });
  return experiments
    .map((e) => ({ ...e, configs: e.configs.filter((c) => regexps.some((r) => r.test(c.id))) }))
    .filter((e) => e.configs.length > 0);
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
  tier: Tier,
  backend: string,
): RunSpec[] {
  return experiments.flatMap((e) =>
    e.configs.flatMap((c) =>
      (overrides.seeds ?? e.seeds).map((seed) => ({
        experiment: e.name,
        config: c.id,
        seed,
        settings: applyOverrides(c.settings, overrides),
        tier,
        backend,
      })),
    ),
  );
}
