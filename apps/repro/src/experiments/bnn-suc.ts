import { cheapExperiment, rule } from './build';
import type { ConfigSpec, ExperimentDefinition, ExperimentSpec, RunSettings } from './types';

/** Input dimensions of Tables 13–14. */
export const BNN_SUC_DIMS = [8, 16, 32, 64] as const;
/** Batch sizes of Tables 13–14. */
export const BNN_SUC_BATCHES = [32, 64] as const;
/** Rules: the two that train a Heaviside unit, and `tied` (zero almost everywhere) to show it cannot. */
export const BNN_SUC_RULES = [rule('constant'), rule('rectangular'), rule('tied')] as const;

const base: RunSettings = {
  model: { kind: 'unit' },
  dataset: { name: 'ones', d: 8, n: 4096, tau: 0.7, testFraction: 0.2 },
  loss: 'mse',
  optimizer: { name: 'sgd', lr: 0.1, momentum: 0 },
  forward: 'heaviside',
  rule: rule('constant'),
  epochs: 20,
  batchSize: 32,
  probe: false,
};

const configs: ConfigSpec[] = BNN_SUC_DIMS.flatMap((d) =>
  BNN_SUC_BATCHES.flatMap((batchSize) =>
    BNN_SUC_RULES.map((r) => ({
      id: `d${d}-b${batchSize}-${r.name}`,
      settings: {
        ...base,
        dataset: { name: 'ones', d, n: 4096, tau: 0.7, testFraction: 0.2 },
        batchSize,
        rule: r,
      },
    })),
  ),
);

const full: ExperimentSpec = {
  name: 'bnn-suc',
  table: 'Tables 13–14',
  description:
    'One Heaviside unit on the Ones set (N=4096, MSE): constant and rectangular train it, tied cannot.',
  seeds: [0, 1, 2],
  configs,
};

/** The `bnn-suc` experiment. It is cheap, so quick mode runs the paper's settings unchanged. */
export const bnnSuc: ExperimentDefinition = cheapExperiment(full);
