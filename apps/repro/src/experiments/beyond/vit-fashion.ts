import {
  BEYOND_DEFAULT_SEEDS,
  configsForRules,
  onSubset,
  ruleSpec,
  ruleConfigId,
  scaledTier,
  subsetNote,
} from '../build';
import type { ExperimentDefinition, ExperimentSpec, RuleSpec, RunSettings } from '../types';

/** Id of a `vit-fashion` config: the rule's name. */
export const vitConfigId: (ruleName: string) => string = ruleConfigId;

/** The rules on the GELU of every MLP block. */
export const VIT_RULES: readonly RuleSpec[] = [
  ruleSpec('tied'),
  ruleSpec('constant'),
  ruleSpec('rectangular', { a: -1, b: 1 }),
];

/** A vision transformer: 7×7 patches of Fashion-MNIST (16 tokens), 2 pre-norm encoder layers of width 64, 4 heads, GELU MLPs of 128. */
const base: RunSettings = {
  model: { kind: 'vit', patch: 7, width: 64, depth: 2, heads: 4, mlpWidth: 128 },
  dataset: { name: 'fashion-mnist' },
  loss: 'cross-entropy',
  optimizer: { name: 'adam', lr: 0.001 },
  forward: 'gelu',
  rule: ruleSpec('tied'),
  epochs: 10,
  batchSize: 128,
  probe: false,
};

const full: ExperimentSpec = {
  name: 'vit-fashion',
  table: 'beyond the paper',
  description:
    'A small vision transformer (7×7 patches, 2 pre-norm encoder layers, width 64, 4 heads) on Fashion-MNIST: tied vs constant vs rectangular on the GELU of the MLP blocks.',
  seeds: [0, 1, 2],
  configs: configsForRules(base, VIT_RULES, vitConfigId),
};

/** Default-tier protocol: the same network on a subset, 3 epochs, seeds 0 and 1. */
export const VIT_DEFAULT = { trainSize: 6000, testSize: 2000, epochs: 3, batchSize: 64 } as const;
const VIT_QUICK = { trainSize: 500, testSize: 200, epochs: 1, batchSize: 64 } as const;

/** The `vit-fashion` experiment. */
export const vitFashion: ExperimentDefinition = {
  full,
  default: scaledTier(
    full,
    BEYOND_DEFAULT_SEEDS,
    onSubset(VIT_DEFAULT),
    `Fashion-MNIST ${subsetNote(VIT_DEFAULT)}`,
  ),
  quick: scaledTier(full, [0], onSubset(VIT_QUICK), `Fashion-MNIST ${subsetNote(VIT_QUICK)}`),
};
