import type { z } from 'zod';
import type { datasetSchema, modelSchema, optimizerSchema, ruleSchema } from './schema';

/** Forward activations used by the experiments (names of @fbt/surrogates forwards). */
export const FORWARDS = ['logistic', 'relu', 'linear', 'tanh', 'heaviside', 'sign', 'gelu'] as const;
/** A forward activation name. */
export type ForwardName = (typeof FORWARDS)[number];

/**
 * A backward rule ψ by its @fbt/surrogates name (`tied`, `constant`, `rectangular`, `fullJam`, …),
 * with its numeric parameters (e.g. `{ a: -0.5, b: 0.5 }`; omitted for the rule's defaults).
 * Derived, like the other specs below, from the config schema (schema.ts).
 */
export type RuleSpec = z.output<typeof ruleSchema>;

/**
 * The network architectures the app can build: `unit` (one unit: `Linear(d → 1)` then the
 * activation), `mlp` (`Linear` layers of the `hidden` widths with the activation between them, a
 * linear output layer), `lenet5` (LeNet-5 for 1×28×28 inputs as in the paper), `binary-mlp`
 * (`BinaryLinear` layers with sign activations, a linear output layer) and, beyond the paper,
 * `gru`/`lstm` (a recurrent network reading a 28×28 image row by row, the rule on every gate and
 * candidate nonlinearity), `vit` (a pre-norm vision transformer on image patches, the rule on the
 * MLP blocks' activation), `spiking-mlp`/`spiking-cnn` (leaky integrate-and-fire networks on
 * rate-coded images, the rule on every spike) and `resnet` (residual blocks with BatchNorm). See
 * train/models.ts.
 */
export type ModelSpec = z.output<typeof modelSchema>;

/**
 * The datasets the app can load: `ones` (drawn, split by `testFraction`), `digits` (split by
 * `testFraction`), `mnist` and `fashion-mnist` (`trainSize`/`testSize` take the first examples of a
 * split: subsets for the scaled tiers).
 */
export type DatasetSpec = z.output<typeof datasetSchema>;

/** The model kinds (the `kind` of a `ModelSpec`), for validation messages. */
export const MODEL_KINDS = [
  'unit',
  'mlp',
  'lenet5',
  'binary-mlp',
  'gru',
  'lstm',
  'vit',
  'spiking-mlp',
  'spiking-cnn',
  'resnet',
] as const;

/** The optimizer names (the `name` of an `OptimizerSpec`). */
export const OPTIMIZER_NAMES = ['sgd', 'adam'] as const;

/** The dataset names, for validation messages. */
export const DATASET_NAMES = ['ones', 'digits', 'mnist', 'fashion-mnist'] as const;

/** Loss functions: binary cross-entropy on one sigmoid-like output, MSE on 0/1 targets, softmax cross-entropy. */
export const LOSSES = ['bce', 'mse', 'cross-entropy'] as const;
/** A loss name. */
export type LossName = (typeof LOSSES)[number];

/** Stochastic gradient descent with optional (PyTorch-style) momentum, or Adam with PyTorch's defaults. */
export type OptimizerSpec = z.output<typeof optimizerSchema>;

/** Everything one training run needs besides its seed. */
export interface RunSettings {
  readonly model: ModelSpec;
  readonly dataset: DatasetSpec;
  readonly loss: LossName;
  readonly optimizer: OptimizerSpec;
  readonly forward: ForwardName;
  readonly rule: RuleSpec;
  readonly epochs: number;
  readonly batchSize: number;
  /** Measure, each epoch, the per-layer cosine/sign agreement of this rule's gradient with the tied one. */
  readonly probe: boolean;
}

/** One named configuration of an experiment (one row of its table). */
export interface ConfigSpec {
  /** Directory-safe id, e.g. `constant`, `mnist-relu-fullJam`. */
  readonly id: string;
  readonly settings: RunSettings;
}

/** An experiment: a set of configurations, run once per seed. */
export interface ExperimentSpec {
  /** CLI name, e.g. `suc-ones`. */
  readonly name: string;
  /** Where it comes from, e.g. `Table 2` or `beyond the paper`. */
  readonly table: string;
  /** One sentence on what it shows. */
  readonly description: string;
  readonly seeds: readonly number[];
  readonly configs: readonly ConfigSpec[];
}

/**
 * The tiers of `fbt-repro run`: `quick` (a smoke test of every code path, about a minute), `default`
 * (scaled protocols that decide every claim in minutes on a laptop) and `full` (the paper's settings).
 */
export const TIERS = ['quick', 'default', 'full'] as const;
/** A tier name. */
export type Tier = (typeof TIERS)[number];

/** An experiment in one scaled tier, with a sentence on how it departs from the paper's settings. */
export interface ScaledTier {
  readonly spec: ExperimentSpec;
  /** Human-readable summary of the change, shown by `fbt-repro list` and in the report. */
  readonly note: string;
}

/** An experiment in its full (paper) form and in the two scaled tiers. */
export interface ExperimentDefinition {
  /** The paper's settings: the `full` tier. */
  readonly full: ExperimentSpec;
  readonly quick: ScaledTier;
  readonly default: ScaledTier;
}

/** One planned run: an experiment's config at one seed. */
export interface RunSpec {
  readonly experiment: string;
  readonly config: string;
  readonly seed: number;
  readonly settings: RunSettings;
  /** The tier it was planned from (`full` for a user-defined experiment). */
  readonly tier: Tier;
  /** Backend name the run uses (`cpu`, `wasm` or `gpu`). */
  readonly backend: string;
}
