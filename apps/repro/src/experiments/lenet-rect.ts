import {
  configsForRules,
  keepConfigs,
  onSubset,
  ruleConfigId,
  ruleSpec,
  scaledTier,
  subsetNote,
} from './build';
import type { ExperimentDefinition, ExperimentSpec, RunSettings } from './types';

/** Id of the `lenet-rect` config of a rule: its name. */
export const lenetRectConfigId: (ruleName: string) => string = ruleConfigId;

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
  rule: ruleSpec('tied'),
  epochs: 30,
  batchSize: 256,
  probe: false,
};

const full: ExperimentSpec = {
  name: 'lenet-rect',
  table: 'Table 4',
  description: 'LeNet-5 (logistic) on MNIST trains with a rectangular backward.',
  seeds: [0],
  configs: configsForRules(
    base,
    [ruleSpec('tied'), ruleSpec('rectangular', { a: -0.5, b: 0.5 })],
    lenetRectConfigId,
  ),
};

/** Quick LeNet-5 settings: a smoke test of the code path, far too few steps to leave the initial plateau. */
export const LENET_QUICK = { trainSize: 3000, testSize: 1000, epochs: 2, batchSize: 32 } as const;

/**
 * Default-tier epochs: the paper's protocol on the whole of MNIST, cut to 25 of its 30 epochs. With
 * seed 0 the rectangular rule leaves the initial plateau in epoch 4, first passes the paper's 97 % in
 * epoch 17, dips to 96.1 % in epoch 20 and stays between 97.7 % and 98.4 % from epoch 21 on; 25
 * epochs end well inside that stretch. Smaller batches at the same lr, which buy more steps per epoch,
 * leave the plateau later per step here (batch 64 was still at chance after 2 800 steps, batch 256
 * left it after 940), so the batch stays the paper's.
 */
export const LENET_DEFAULT_EPOCHS = 25;

/** The `lenet-rect` experiment. */
export const lenetRect: ExperimentDefinition = {
  full,
  quick: scaledTier(full, [0], onSubset(LENET_QUICK), `MNIST ${subsetNote(LENET_QUICK)}`),
  default: keepConfigs(
    scaledTier(
      full,
      [0],
      (s) => ({ ...s, epochs: LENET_DEFAULT_EPOCHS }),
      `the paper's protocol on all 60 000 MNIST images for ${LENET_DEFAULT_EPOCHS} of its 30 epochs; the rectangular rule only (the claim's), the tied control runs in the full tier`,
    ),
    (c) => c.id !== lenetRectConfigId('tied'),
  ),
};
