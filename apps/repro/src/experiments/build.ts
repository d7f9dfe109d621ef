import type {
  ConfigSpec,
  DatasetSpec,
  ExperimentDefinition,
  ExperimentSpec,
  RuleSpec,
  RunSettings,
} from './types';

/** A rule spec with optional parameters. */
export function rule(name: string, params?: Record<string, number>): RuleSpec {
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

/** One config per rule, with the id given by `idOf`. */
export function configsForRules(
  base: RunSettings,
  rules: readonly RuleSpec[],
  idOf: (rule: RuleSpec) => string = (r) => r.name,
): ConfigSpec[] {
  return rules.map((r) => ({ id: idOf(r), settings: { ...base, rule: r } }));
}

/** Limits an MNIST-style dataset to the first `trainSize`/`testSize` examples of each split. */
export function subset(dataset: DatasetSpec, trainSize: number, testSize: number): DatasetSpec {
  if (dataset.name !== 'mnist' && dataset.name !== 'fashion-mnist') return dataset;
  return { ...dataset, trainSize, testSize };
}

/** The quick form of an experiment: `change` applied to every config's settings, and the quick seeds. */
export function quickVersion(
  full: ExperimentSpec,
  seeds: readonly number[],
  change: (settings: RunSettings) => RunSettings,
): ExperimentSpec {
  return { ...full, seeds, configs: full.configs.map((c) => ({ id: c.id, settings: change(c.settings) })) };
}

/** Quick settings of an MNIST-style experiment: the subset sizes, the epochs and, when given, the batch size. */
export interface QuickSubset {
  readonly trainSize: number;
  readonly testSize: number;
  readonly epochs: number;
  readonly batchSize?: number;
}

/** The settings change that applies `quick`: the dataset `subset`, the epochs and, when given, the batch size. */
export function onSubset(quick: QuickSubset): (settings: RunSettings) => RunSettings {
  return (s) => ({
    ...s,
    dataset: subset(s.dataset, quick.trainSize, quick.testSize),
    epochs: quick.epochs,
    batchSize: quick.batchSize ?? s.batchSize,
  });
}

/** An experiment cheap enough that quick mode runs the paper's settings (and seeds) unchanged. */
export function cheapExperiment(full: ExperimentSpec): ExperimentDefinition {
  return { full, quick: quickVersion(full, full.seeds, (s) => s), quickNote: 'paper settings (cheap)' };
}
