import { cheapExperiment, ruleSpec, SPREAD_SEEDS } from './build';
import type { ConfigSpec, ExperimentDefinition, ExperimentSpec, RunSettings } from './types';

/** Input dimensions of Tables 13–14. */
export const BNN_SUC_DIMS = [8, 16, 32, 64] as const;
/** Batch sizes of Tables 13–14. */
export const BNN_SUC_BATCHES = [32, 64] as const;
/** Rules: the two that train a Heaviside unit, and `tied` (zero almost everywhere) to show it cannot. */
export const BNN_SUC_RULES = [ruleSpec('constant'), ruleSpec('rectangular'), ruleSpec('tied')] as const;

const base: RunSettings = {
  model: { kind: 'unit' },
  dataset: { name: 'ones', d: 8, n: 4096, tau: 0.7, testFraction: 0.2 },
  loss: 'mse',
  optimizer: { name: 'sgd', lr: 0.1, momentum: 0 },
  forward: 'heaviside',
  rule: ruleSpec('constant'),
  epochs: 20,
  batchSize: 32,
  probe: false,
};

/** Id of the bnn-suc config of one input dimension, batch size and rule, e.g. `d64-b32-constant`. */
export function bnnSucConfigId(d: number, batchSize: number, ruleName: string): string {
  return `d${d}-b${batchSize}-${ruleName}`;
}

const configs: ConfigSpec[] = BNN_SUC_DIMS.flatMap((d) =>
  BNN_SUC_BATCHES.flatMap((batchSize) =>
    BNN_SUC_RULES.map((r) => ({
      id: bnnSucConfigId(d, batchSize, r.name),
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
  seeds: SPREAD_SEEDS,
  configs,
};

/** The `bnn-suc` experiment. It is cheap: every tier runs the paper's settings. */
export const bnnSuc: ExperimentDefinition = cheapExperiment(full);
