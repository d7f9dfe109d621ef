import { cheapExperiment, configsForRules, ruleConfigId, ruleSpec, SPREAD_SEEDS } from './build';
import type { ExperimentDefinition, ExperimentSpec, RunSettings } from './types';

/** Id of the `mlp-digits` config of a rule: its name. */
export const mlpDigitsConfigId: (ruleName: string) => string = ruleConfigId;

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
  rule: ruleSpec('tied'),
  epochs: 100,
  batchSize: 64,
  probe: false,
};

const full: ExperimentSpec = {
  name: 'mlp-digits',
  table: 'Table 3',
  description: 'A 64-64-10 logistic MLP on DIGITS: a constant backward matches the tied derivative.',
  seeds: SPREAD_SEEDS,
  configs: configsForRules(mlpDigitsBase, [ruleSpec('tied'), ruleSpec('constant')], mlpDigitsConfigId),
};

/** The `mlp-digits` experiment. It is cheap: every tier runs the paper's settings. */
export const mlpDigits: ExperimentDefinition = cheapExperiment(full);
