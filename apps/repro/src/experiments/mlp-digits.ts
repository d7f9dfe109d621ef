import { cheapExperiment, configsForRules, rule, SPREAD_SEEDS } from './build';
import type { ExperimentDefinition, ExperimentSpec, RunSettings } from './types';

/**
 * Table 3: a 64→64 logistic→10 MLP on DIGITS (80/20 split, pixels /16), cross-entropy,
 * SGD lr 0.05, batch 64, 100 epochs; tied against constant.
 */
export const mlpDigitsBase: RunSettings = {
  model: { kind: 'mlp', hidden: [64] },
  dataset: { name: 'digits', testFraction: 0.2 },
  loss: 'cross-entropy',
  optimizer: { name: 'sgd', lr: 0.05, momentum: 0 },
  forward: 'logistic',
  rule: rule('tied'),
  epochs: 100,
  batchSize: 64,
  probe: false,
};

const full: ExperimentSpec = {
  name: 'mlp-digits',
  table: 'Table 3',
  description: 'A 64-64-10 logistic MLP on DIGITS: a constant backward matches the tied derivative.',
  seeds: SPREAD_SEEDS,
  configs: configsForRules(mlpDigitsBase, [rule('tied'), rule('constant')]),
};

/** The `mlp-digits` experiment. It is cheap: every tier runs the paper's settings. */
export const mlpDigits: ExperimentDefinition = cheapExperiment(full);
