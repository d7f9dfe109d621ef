import type {
  ConfigSpec,
  DatasetSpec,
  ExperimentDefinition,
  ExperimentSpec,
  ModelSpec,
  RuleSpec,
  RunSettings,
  ScaledTier,
} from './types';

/** A rule spec with optional parameters. */
export function ruleSpec(name: string, params?: Record<string, number>): RuleSpec {
  return params === undefined ? { name } : { name, params };
}

/** Directory-safe label of a rule: its name, plus its parameter values when given (`rectangular_-0.5_0.5`). */
export function ruleLabel(spec: RuleSpec): string {
  const values = spec.params === undefined ? [] : Object.values(spec.params);
  return [spec.name, ...values].join('_');
}

/** Human label of a rule for tables: `rectangular(low=-0.5, high=0.5)`. */
export function ruleTitle(spec: RuleSpec): string {
  const entries = spec.params === undefined ? [] : Object.entries(spec.params);
  return entries.length === 0
    ? spec.name
    : `${spec.name}(${entries.map(([k, x]) => `${k}=${x}`).join(', ')})`;
}

/**
 * Id of a config of an experiment that varies only the rule: the rule's name (`tied`, `constant`).
 * Experiments export it under their own name (`sucOnesConfigId`…) so that claims follow a change.
 */
export function ruleConfigId(ruleName: string): string {
  return ruleName;
}

/** One config per rule, with the id `idOf(rule name)`: the experiment's exported id function. */
export function configsForRules(
  base: RunSettings,
  rules: readonly RuleSpec[],
  idOf: (ruleName: string) => string,
): ConfigSpec[] {
  return rules.map((r) => ({ id: idOf(r.name), settings: { ...base, rule: r } }));
}

/** Limits an MNIST-style dataset to the first `trainSize`/`testSize` examples of each split. */
export function subset(dataset: DatasetSpec, trainSize: number, testSize: number): DatasetSpec {
  if (dataset.name !== 'mnist' && dataset.name !== 'fashion-mnist') return dataset;
  return { ...dataset, trainSize, testSize };
}

/** A scaled tier of `full`: `change` applied to every config's settings, `seeds`, and the note saying so. */
export function scaledTier(
  full: ExperimentSpec,
  seeds: readonly number[],
  change: (settings: RunSettings) => RunSettings,
  note: string,
): ScaledTier {
  return {
    spec: { ...full, seeds, configs: full.configs.map((c) => ({ id: c.id, settings: change(c.settings) })) },
    note,
  };
}

/** `tier` with only the configs that `keep` accepts (a scaled tier that leaves some configs to the full one). */
export function keepConfigs(tier: ScaledTier, keep: (config: ConfigSpec) => boolean): ScaledTier {
  return { ...tier, spec: { ...tier.spec, configs: tier.spec.configs.filter(keep) } };
}

/** Scaled settings of an MNIST-style experiment: the subset sizes, the epochs and, when given, the batch size. */
export interface SubsetSettings {
  readonly trainSize: number;
  readonly testSize: number;
  readonly epochs: number;
  readonly batchSize?: number;
}

/** The settings change that cuts the data to a subset and sets the epochs (and, when given, the batch size). */
export function onSubset(scaled: SubsetSettings): (settings: RunSettings) => RunSettings {
  return (s) => ({
    ...s,
    dataset: subset(s.dataset, scaled.trainSize, scaled.testSize),
    epochs: scaled.epochs,
    batchSize: scaled.batchSize ?? s.batchSize,
  });
}

/** `onSubset`, and the model changed by `model` (a smaller network in a scaled tier). */
export function onSubsetModel(
  scaled: SubsetSettings,
  model: (spec: ModelSpec) => ModelSpec,
): (settings: RunSettings) => RunSettings {
  const cut = onSubset(scaled);
  return (s) => ({ ...cut(s), model: model(s.model) });
}

/** How `onSubset` settings read in a note: `MNIST subset 3000 train / 1000 test, 2 epochs, batch 32`. */
export function subsetNote(scaled: SubsetSettings): string {
  const batch = scaled.batchSize === undefined ? '' : `, batch ${scaled.batchSize}`;
  return `subsets of ${scaled.trainSize} train / ${scaled.testSize} test images, ${scaled.epochs} epoch${scaled.epochs === 1 ? '' : 's'}${batch}`;
}

/** Seeds of the cheap experiments' default and full tiers: ten, so the seed-to-seed spread shows. */
export const SPREAD_SEEDS: readonly number[] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

/**
 * Seeds of the default tier of the recurrent, transformer and residual experiments beyond the paper:
 * two, so the claim's mean is not one run's noise (the spiking experiment, whose runs cost most,
 * runs seed 0 alone).
 */
export const BEYOND_DEFAULT_SEEDS: readonly number[] = [0, 1];

/** Seeds of the quick tier of the cheap experiments (the default and full tiers run all of the paper spec's). */
export const QUICK_SEEDS: readonly number[] = [0, 1, 2];

/**
 * An experiment cheap enough that every tier runs the paper's settings: `quick` on `QUICK_SEEDS`,
 * `default` and `full` on every seed of `full` (for the seed-to-seed spread).
 */
export function cheapExperiment(full: ExperimentSpec): ExperimentDefinition {
  const same = (s: RunSettings): RunSettings => s;
  return {
    full,
    quick: scaledTier(full, QUICK_SEEDS, same, 'paper settings, fewer seeds'),
    default: scaledTier(full, full.seeds, same, 'paper settings'),
  };
}

/** An experiment beyond the paper, on which no claim depends: the default tier runs its quick settings. */
export function beyondThePaper(full: ExperimentSpec, quick: ScaledTier): ExperimentDefinition {
  return {
    full,
    quick,
    default: { spec: quick.spec, note: `${quick.note}; as --quick, since no claim depends on it` },
  };
}
