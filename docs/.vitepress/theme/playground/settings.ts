import { ACTIVATIONS, RULES, describeActivations, describeRules, type ParamSpec } from '@fbt/surrogates';

/** The data sets the playground trains on (the generators of @fbt/datasets, and its DIGITS file). */
export const DATASETS = ['two-moons', 'spirals', 'xor', 'blobs', 'digits'] as const;
/** A data set's name. */
export type DatasetName = (typeof DATASETS)[number];

/** The optimizers of @fbt/layers the playground offers. */
export const OPTIMIZERS = ['adam', 'adamw', 'sgd'] as const;
/** An optimizer's name. */
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** Everything a playground run depends on: the controls, and the page's URL state. */
export interface Settings {
  /** The data set. */
  readonly data: DatasetName;
  /** Units of each hidden layer, input side first. */
  readonly hidden: readonly number[];
  /** Forward activation φ of every hidden layer. */
  readonly forward: string;
  /** Parameters of the forward activation (every declared one, defaults filled in). */
  readonly forwardParams: Readonly<Record<string, number>>;
  /** Backward rule ψ of every hidden layer. */
  readonly rule: string;
  /** Parameters of the rule (every declared one, defaults filled in). */
  readonly ruleParams: Readonly<Record<string, number>>;
  /** The optimizer. */
  readonly optimizer: OptimizerName;
  /** Its learning rate. */
  readonly lr: number;
  /** Seed of the data, the initial weights, the batches and the rules' draws. */
  readonly seed: number;
  /** Optimizer steps (mini-batches of `BATCH_SIZE`). */
  readonly steps: number;
}

/** Limits of the numeric controls, enforced on the page and in the URL. */
export const LIMITS = {
  width: { min: 1, max: 128 },
  layers: { min: 1, max: 4 },
  lr: { min: 1e-5, max: 10 },
  seed: { min: 0, max: 2 ** 31 - 1 },
  steps: { min: 1, max: 20_000 },
} as const;

/** The rules the playground offers: the factor rules of the table (transforms map g and follow one of them). */
export const RULE_NAMES: readonly string[] = describeRules()
  .filter((r) => r.family !== 'transform' && r.family !== 'user')
  .map((r) => r.name);
/** The forward activations the playground offers. */
export const FORWARD_NAMES: readonly string[] = describeActivations().map((a) => a.name);

/** A table entry's name and parameter specs, as `resolveParams` takes them. */
export type ParamOwnerEntry = (typeof RULES)[number] | (typeof ACTIVATIONS)[number];

/** The table entry of a rule (`kind` 'rule') or forward activation (`kind` 'forward') the playground offers. */
export function entryOf(kind: 'rule' | 'forward', name: string): ParamOwnerEntry | undefined {
  const names = kind === 'rule' ? RULE_NAMES : FORWARD_NAMES;
  if (!names.includes(name)) return undefined;
  return (kind === 'rule' ? RULES : ACTIVATIONS).find((e) => e.name === name);
}

/** The declared parameters of an entry with their defaults. */
export function defaultParams(entry: { readonly params: readonly ParamSpec[] }): Record<string, number> {
  return Object.fromEntries(entry.params.map((p) => [p.name, p.default]));
}

/**
 * The setup the playground opens with, and the one its test measures: two moons, Heaviside hidden
 * layers of 16 and 4 units trained with the rectangular rule (window [−0.5, 0.5]), Adam at lr 0.01,
 * 2000 steps of 32 samples.
 */
export const DEFAULTS: Settings = {
  data: 'two-moons',
  hidden: [16, 4],
  forward: 'heaviside',
  forwardParams: {},
  rule: 'rectangular',
  ruleParams: { a: -0.5, b: 0.5 },
  optimizer: 'adam',
  lr: 0.01,
  seed: 1,
  steps: 2000,
};
