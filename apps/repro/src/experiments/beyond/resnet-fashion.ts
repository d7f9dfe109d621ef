import {
  configsForRules,
  onSubsetModel,
  ruleConfigId,
  ruleSpec,
  scaledTier,
  subsetNote,
  type SubsetSettings,
  BEYOND_DEFAULT_SEEDS,
} from '../build';
import type { ExperimentDefinition, ExperimentSpec, RuleSpec, RunSettings } from '../types';

/** Id of a `resnet-fashion` config: the rule's name. */
export const resnetConfigId: (ruleName: string) => string = ruleConfigId;

/** The rules on every ReLU of the network. */
export const RESNET_RULES: readonly RuleSpec[] = [
  ruleSpec('tied'),
  ruleSpec('constant'),
  ruleSpec('rectangular', { a: -1, b: 1 }),
];

const base: RunSettings = {
  model: { kind: 'resnet', width: 16, blocks: 2 },
  dataset: { name: 'fashion-mnist' },
  loss: 'cross-entropy',
  optimizer: { name: 'adam', lr: 0.001 },
  forward: 'relu',
  rule: ruleSpec('tied'),
  epochs: 10,
  batchSize: 128,
  probe: false,
};

const full: ExperimentSpec = {
  name: 'resnet-fashion',
  table: 'beyond the paper',
  description:
    'A ResNet-style CNN (BatchNorm, residual blocks, ReLU; 2 blocks per stage, width 16) on Fashion-MNIST: tied vs constant vs rectangular on every ReLU.',
  seeds: [0, 1, 2],
  configs: configsForRules(base, RESNET_RULES, resnetConfigId),
};

/** Default-tier protocol: width 8, one block per stage, a subset, 3 epochs, seeds 0 and 1. */
export const RESNET_DEFAULT = { trainSize: 8000, testSize: 2000, epochs: 3, batchSize: 64 } as const;
const RESNET_QUICK = { trainSize: 300, testSize: 200, epochs: 1, batchSize: 64 } as const;

function smaller(width: number, blocks: number, scaled: SubsetSettings): (s: RunSettings) => RunSettings {
  return onSubsetModel(scaled, (m) => (m.kind === 'resnet' ? { ...m, width, blocks } : m));
}

/** The `resnet-fashion` experiment. */
export const resnetFashion: ExperimentDefinition = {
  full,
  default: scaledTier(
    full,
    BEYOND_DEFAULT_SEEDS,
    smaller(8, 1, RESNET_DEFAULT),
    `width 8, 1 block per stage, Fashion-MNIST ${subsetNote(RESNET_DEFAULT)}`,
  ),
  quick: scaledTier(
    full,
    [0],
    smaller(4, 1, RESNET_QUICK),
    `width 4, 1 block per stage, Fashion-MNIST ${subsetNote(RESNET_QUICK)}`,
  ),
};
