import { beyondThePaper, configsForRules, ruleConfigId, ruleSpec } from './build';
import { quickMnistMlp } from './heaviside-mlp';
import type { ExperimentDefinition, ExperimentSpec, RunSettings } from './types';

/** Id of the `bnn-mnist` config of a rule: its name. */
export const bnnMnistConfigId: (ruleName: string) => string = ruleConfigId;

/**
 * Beyond the paper: a binary MLP (BinaryLinear 784-256-256 with sign activations, linear output)
 * on MNIST, trained through the sign with a rectangular straight-through rule or a constant one.
 */
const base: RunSettings = {
  model: { kind: 'binary-mlp', hidden: [256, 256] },
  dataset: { name: 'mnist' },
  loss: 'cross-entropy',
  optimizer: { name: 'sgd', lr: 0.01, momentum: 0.9 },
  forward: 'sign',
  rule: ruleSpec('rectangular', { a: -1, b: 1 }),
  epochs: 20,
  batchSize: 64,
  probe: false,
};

const full: ExperimentSpec = {
  name: 'bnn-mnist',
  table: 'beyond the paper',
  description:
    'A binary MLP (BinaryLinear + sign) on MNIST with a rectangular straight-through or constant backward.',
  seeds: [0],
  configs: configsForRules(
    base,
    [ruleSpec('rectangular', { a: -1, b: 1 }), ruleSpec('constant')],
    bnnMnistConfigId,
  ),
};

/** The `bnn-mnist` experiment. */
export const bnnMnist: ExperimentDefinition = beyondThePaper(full, quickMnistMlp(full));
