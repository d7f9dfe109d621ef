import { onSubset, quickVersion, rule } from './build';
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

const configs: ConfigSpec[] = JAMMING_DATASETS.flatMap((dataset) =>
  JAMMING_FORWARDS.flatMap((forward) =>
    JAMMING_RULES.map((r) => ({
      id: `${dataset}-${forward}-${r.name}`,
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

/** Quick jamming settings (24 LeNet runs, so smaller than lenet-rect's). */
export const JAMMING_QUICK = { trainSize: 2000, testSize: 500, epochs: 1, batchSize: 32 } as const;

/** The `jamming` experiment. */
export const jamming: ExperimentDefinition = {
  full,
  quick: quickVersion(full, [0], onSubset(JAMMING_QUICK)),
  quickNote: `subsets ${JAMMING_QUICK.trainSize} train / ${JAMMING_QUICK.testSize} test, ${JAMMING_QUICK.epochs} epoch, batch ${JAMMING_QUICK.batchSize}`,
};
