import { beyondThePaper, configsForRules, onSubset, ruleSpec, scaledTier, subsetNote } from './build';
import type { ExperimentDefinition, ExperimentSpec, ForwardName, RunSettings, ScaledTier } from './types';

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
  rule: ruleSpec('constant'),
  epochs: 20,
  batchSize: 64,
  probe: false,
};

/** Id of the `heaviside-mlp` config of a forward and a rule, e.g. `heaviside-constant`, `relu-tied`. */
export function heavisideMlpConfigId(forward: ForwardName, ruleName: string): string {
  return `${forward}-${ruleName}`;
}

const heavisideConfigs = configsForRules(
  base,
  [ruleSpec('constant'), ruleSpec('rectangular'), ruleSpec('triangular'), ruleSpec('fullJam')],
  (ruleName) => heavisideMlpConfigId('heaviside', ruleName),
);

const full: ExperimentSpec = {
  name: 'heaviside-mlp',
  table: 'beyond the paper',
  description:
    'A 784-256-256-10 Heaviside MLP on MNIST under constant/rectangular/triangular/fullJam vs a ReLU tied baseline.',
  seeds: [0],
  configs: [
    ...heavisideConfigs,
    {
      id: heavisideMlpConfigId('relu', 'tied'),
      settings: { ...base, forward: 'relu', rule: ruleSpec('tied') },
    },
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
