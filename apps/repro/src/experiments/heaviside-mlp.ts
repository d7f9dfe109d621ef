import { beyondThePaper, configsForRules, onSubset, rule, scaledTier, subsetNote } from './build';
import type { ConfigSpec, ExperimentDefinition, ExperimentSpec, RunSettings, ScaledTier } from './types';

/**
 * Beyond the paper: a 784-256-256-10 MLP on MNIST with Heaviside hidden units under several
 * backward rules, against a ReLU network trained with its tied derivative. Hyperparameters are ours.
 */
const base: RunSettings = {
  model: { kind: 'mlp', hidden: [256, 256] },
  dataset: { name: 'mnist' },
  loss: 'cross-entropy',
  optimizer: { name: 'sgd', lr: 0.01, momentum: 0.9 },
  forward: 'heaviside',
  rule: rule('constant'),
  epochs: 20,
  batchSize: 64,
  probe: false,
};

const heavisideConfigs = configsForRules(base, [
  rule('constant'),
  rule('rectangular'),
  rule('triangular'),
  rule('fullJam'),
]).map((c): ConfigSpec => ({ id: `heaviside-${c.id}`, settings: c.settings }));

const full: ExperimentSpec = {
  name: 'heaviside-mlp',
  table: 'beyond the paper',
  description:
    'A 784-256-256-10 Heaviside MLP on MNIST under constant/rectangular/triangular/fullJam vs a ReLU tied baseline.',
  seeds: [0],
  configs: [
    ...heavisideConfigs,
    { id: 'relu-tied', settings: { ...base, forward: 'relu', rule: rule('tied') } },
  ],
};

/** Quick settings of the MNIST MLP experiments. */
export const MNIST_MLP_QUICK = { trainSize: 5000, testSize: 1000, epochs: 2 } as const;

/** The quick tier of an MNIST MLP experiment (the batch size is kept). */
export function quickMnistMlp(full: ExperimentSpec): ScaledTier {
  return scaledTier(full, [0], onSubset(MNIST_MLP_QUICK), `MNIST ${subsetNote(MNIST_MLP_QUICK)}`);
}

/** The `heaviside-mlp` experiment. */
export const heavisideMlp: ExperimentDefinition = beyondThePaper(full, quickMnistMlp(full));
