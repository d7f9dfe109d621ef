import { onSubset, rule, scaledTier, subsetNote } from './build';
import type { ConfigSpec, ExperimentDefinition, ExperimentSpec, ForwardName, RunSettings } from './types';

/** The three jamming rules of Tables 6–8 (ψ drawn at random), without the tied control. */
export const JAM_RULES = [
  rule('fullJam'),
  rule('positiveJam'),
  rule('rectangularJam', { a: -5, b: 5 }),
] as const;

/** The rules of Tables 6–8: tied first, then the jamming rules. */
export const JAMMING_RULES = [rule('tied'), ...JAM_RULES] as const;

/** The forwards of Tables 6–8. */
export const JAMMING_FORWARDS: readonly ForwardName[] = ['relu', 'linear', 'logistic'];

/** The forwards the jamming claim calls robust; the logistic forward is reported as a finding. */
export const ROBUST_FORWARDS: readonly ForwardName[] = ['relu', 'linear'];

/** The datasets of Tables 6–8. */
export const JAMMING_DATASETS = ['mnist', 'fashion-mnist'] as const;

/** The LeNet-5 settings of Tables 6–8 (MNIST, ReLU, tied; the configs vary dataset, forward and rule). */
export const JAMMING_BASE: RunSettings = {
  model: { kind: 'lenet5' },
  dataset: { name: 'mnist' },
  loss: 'cross-entropy',
  optimizer: { name: 'sgd', lr: 0.01, momentum: 0 },
  forward: 'relu',
  rule: rule('tied'),
  epochs: 20,
  batchSize: 64,
  probe: false,
};

/** Id of the jamming config of one dataset, forward and rule, e.g. `mnist-relu-fullJam`. */
export function jammingConfigId(dataset: string, forward: string, ruleName: string): string {
  return `${dataset}-${forward}-${ruleName}`;
}

const configs: ConfigSpec[] = JAMMING_DATASETS.flatMap((dataset) =>
  JAMMING_FORWARDS.flatMap((forward) =>
    JAMMING_RULES.map((r) => ({
      id: jammingConfigId(dataset, forward, r.name),
      settings: { ...JAMMING_BASE, dataset: { name: dataset }, forward, rule: r },
    })),
  ),
);

const full: ExperimentSpec = {
  name: 'jamming',
  table: 'Tables 6–8',
  description:
    'LeNet-5 on MNIST and Fashion-MNIST, forwards relu/linear/logistic × tied/fullJam/positiveJam/rectangularJam(−5,5).',
  seeds: [0],
  configs,
};

/** Quick jamming settings (24 LeNet runs on small subsets: a smoke test, too short to leave the plateau). */
export const JAMMING_QUICK = { trainSize: 2000, testSize: 500, epochs: 1, batchSize: 32 } as const;

/**
 * The default tier's jamming protocol: the relu and linear forwards on the whole of both data sets,
 * with momentum 0.9 (the paper's own optimizer for Table 4: ten times the step of plain SGD at the
 * same lr) for 2 epochs instead of plain SGD for 20, so the tied and jammed runs get past the initial
 * plateau and are compared when trained rather than while still leaving it.
 */
export const JAMMING_DEFAULT = { momentum: 0.9, epochs: 2 } as const;

const defaultTier = scaledTier(
  full,
  [0],
  (s) => ({
    ...s,
    optimizer: { ...s.optimizer, momentum: JAMMING_DEFAULT.momentum },
    epochs: JAMMING_DEFAULT.epochs,
  }),
  `${ROBUST_FORWARDS.join(' and ')} forwards only, all images, SGD momentum ${JAMMING_DEFAULT.momentum} for ${JAMMING_DEFAULT.epochs} epochs (paper: no momentum, 20 epochs)`,
);

/** The `jamming` experiment. */
export const jamming: ExperimentDefinition = {
  full,
  quick: scaledTier(full, [0], onSubset(JAMMING_QUICK), subsetNote(JAMMING_QUICK)),
  default: {
    ...defaultTier,
    spec: {
      ...defaultTier.spec,
      configs: defaultTier.spec.configs.filter((c) => ROBUST_FORWARDS.includes(c.settings.forward)),
    },
  },
};
