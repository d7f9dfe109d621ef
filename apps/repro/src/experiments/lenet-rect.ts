import { configsForRules, onSubset, quickVersion, rule } from './build';
import type { ExperimentDefinition, ExperimentSpec, RunSettings } from './types';

/**
 * Table 4: LeNet-5 on MNIST with a logistic forward, tied against rectangular(−0.5, 0.5),
 * SGD lr 0.01 momentum 0.9, batch 256, 30 epochs.
 */
const base: RunSettings = {
  model: { kind: 'lenet5' },
  dataset: { name: 'mnist' },
  loss: 'cross-entropy',
  optimizer: { name: 'sgd', lr: 0.01, momentum: 0.9 },
  forward: 'logistic',
  rule: rule('tied'),
  epochs: 30,
  batchSize: 256,
  probe: false,
};

const full: ExperimentSpec = {
  name: 'lenet-rect',
  table: 'Table 4',
  description: 'LeNet-5 (logistic) on MNIST trains with a rectangular backward.',
  seeds: [0],
  configs: configsForRules(base, [rule('tied'), rule('rectangular', { a: -0.5, b: 0.5 })], (r) => r.name),
};

/** Quick LeNet-5 settings shared by the LeNet-based experiments. */
export const LENET_QUICK = { trainSize: 3000, testSize: 1000, epochs: 2, batchSize: 32 } as const;

/** The `lenet-rect` experiment. */
export const lenetRect: ExperimentDefinition = {
  full,
  quick: quickVersion(full, [0], onSubset(LENET_QUICK)),
  quickNote: `MNIST subset ${LENET_QUICK.trainSize} train / ${LENET_QUICK.testSize} test, ${LENET_QUICK.epochs} epochs, batch ${LENET_QUICK.batchSize} (more steps from the small subset)`,
};
