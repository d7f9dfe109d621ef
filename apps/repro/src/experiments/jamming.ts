import { quickVersion, rule, subset } from './build';
import type { ConfigSpec, ExperimentDefinition, ExperimentSpec, ForwardName, RunSettings } from './types';

/** The jamming rules of Tables 6–8, tied first. */
export const JAMMING_RULES = [
  rule('tied'),
  rule('fullJam'),
  rule('positiveJam'),
  rule('rectangularJam', { a: -5, b: 5 }),
] as const;

/** The forwards of Tables 6–8. */
export const JAMMING_FORWARDS: readonly ForwardName[] = ['relu', 'linear', 'logistic'];

/** The datasets of Tables 6–8. */
export const JAMMING_DATASETS = ['mnist', 'fashion-mnist'] as const;

const base: RunSettings = {
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
      settings: { ...base, dataset: { name: dataset }, forward, rule: r },
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
  quick: quickVersion(full, [0], (s) => ({
    ...s,
    dataset: subset(s.dataset, JAMMING_QUICK.trainSize, JAMMING_QUICK.testSize),
    epochs: JAMMING_QUICK.epochs,
    batchSize: JAMMING_QUICK.batchSize,
  })),
  quickNote: `subsets ${JAMMING_QUICK.trainSize} train / ${JAMMING_QUICK.testSize} test, ${JAMMING_QUICK.epochs} epoch, batch ${JAMMING_QUICK.batchSize}`,
};
