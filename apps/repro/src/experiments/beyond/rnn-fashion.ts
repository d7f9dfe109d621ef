import {
  BEYOND_DEFAULT_SEEDS,
  onSubsetModel,
  ruleSpec,
  scaledTier,
  subsetNote,
  type SubsetSettings,
} from '../build';
import type { ConfigSpec, ExperimentDefinition, ExperimentSpec, RuleSpec, RunSettings } from '../types';

/** The recurrent cells compared. */
export const RNN_KINDS = ['gru', 'lstm'] as const;
/** A recurrent cell of the experiment. */
export type RnnKind = (typeof RNN_KINDS)[number];

/** The rules on every gate and candidate nonlinearity: tied, the paper's constant and window, and jamming. */
export const RNN_RULES: readonly RuleSpec[] = [
  ruleSpec('tied'),
  ruleSpec('constant'),
  ruleSpec('rectangular', { a: -1, b: 1 }),
  ruleSpec('fullJam'),
];

/** Id of an `rnn-fashion` config: `gru-tied`, `lstm-rectangular`, … */
export function rnnConfigId(kind: RnnKind, ruleName: string): string {
  return `${kind}-${ruleName}`;
}

const base: RunSettings = {
  model: { kind: 'gru', hidden: 128, layers: 1 },
  dataset: { name: 'fashion-mnist' },
  loss: 'cross-entropy',
  optimizer: { name: 'adam', lr: 0.002 },
  forward: 'tanh',
  rule: ruleSpec('tied'),
  epochs: 10,
  batchSize: 128,
  probe: false,
};

function configs(hidden: number): ConfigSpec[] {
  return RNN_KINDS.flatMap((kind) =>
    RNN_RULES.map((rule) => ({
      id: rnnConfigId(kind, rule.name),
      settings: { ...base, model: { kind, hidden, layers: 1 }, rule },
    })),
  );
}

const full: ExperimentSpec = {
  name: 'rnn-fashion',
  table: 'beyond the paper',
  description:
    'GRU and LSTM reading Fashion-MNIST row by row (28 steps of 28 pixels): tied vs constant vs rectangular vs fullJam on every gate and candidate nonlinearity.',
  seeds: [0, 1, 2],
  configs: configs(128),
};

/** Default-tier protocol: hidden 64, a subset, 3 epochs, seeds 0 and 1. */
export const RNN_DEFAULT = { trainSize: 6000, testSize: 2000, epochs: 3, batchSize: 64 } as const;
const RNN_QUICK = { trainSize: 500, testSize: 200, epochs: 1, batchSize: 64 } as const;

function withHidden(hidden: number, scaled: SubsetSettings): (s: RunSettings) => RunSettings {
  return onSubsetModel(scaled, (m) => (m.kind === 'gru' || m.kind === 'lstm' ? { ...m, hidden } : m));
}

/** The `rnn-fashion` experiment. */
export const rnnFashion: ExperimentDefinition = {
  full,
  default: scaledTier(
    full,
    BEYOND_DEFAULT_SEEDS,
    withHidden(64, RNN_DEFAULT),
    `hidden 64, Fashion-MNIST ${subsetNote(RNN_DEFAULT)}`,
  ),
  quick: scaledTier(
    full,
    [0],
    withHidden(16, RNN_QUICK),
    `hidden 16, Fashion-MNIST ${subsetNote(RNN_QUICK)}`,
  ),
};
