import { cheapExperiment, configsForRules, ruleConfigId, ruleSpec, SPREAD_SEEDS } from './build';
import type { ExperimentDefinition, ExperimentSpec, RunSettings } from './types';

/**
 * Table 2: a single logistic unit on the Ones set (d=10, N=2000, τ=0.7, 80/20 split), BCE,
 * SGD lr 0.1, batch 32, 30 epochs; the tied derivative against a constant backward.
 */
/** Id of the `suc-ones` config of a rule: its name. */
export const sucOnesConfigId: (ruleName: string) => string = ruleConfigId;

const base: RunSettings = {
  model: { kind: 'unit' },
  dataset: { name: 'ones', d: 10, n: 2000, tau: 0.7, testFraction: 0.2 },
  loss: 'bce',
  optimizer: { name: 'sgd', lr: 0.1, momentum: 0 },
  forward: 'logistic',
  rule: ruleSpec('tied'),
  epochs: 30,
  batchSize: 32,
  probe: false,
};

const full: ExperimentSpec = {
  name: 'suc-ones',
  table: 'Table 2',
  description: 'One logistic unit on the Ones set: a constant backward matches the tied derivative.',
  seeds: SPREAD_SEEDS,
  configs: configsForRules(base, [ruleSpec('tied'), ruleSpec('constant')], sucOnesConfigId),
};

/** The `suc-ones` experiment. It is cheap: every tier runs the paper's settings. */
export const sucOnes: ExperimentDefinition = cheapExperiment(full);
