import { onSubsetModel, ruleSpec, scaledTier, subsetNote, type SubsetSettings } from '../build';
import type {
  ConfigSpec,
  ExperimentDefinition,
  ExperimentSpec,
  ModelSpec,
  RuleSpec,
  RunSettings,
} from '../types';

/** The SNN surrogates of the catalogue each spiking network is trained with (their default parameters). */
export const SNN_SURROGATES: readonly RuleSpec[] = [
  ruleSpec('fastSigmoid'),
  ruleSpec('atan'),
  ruleSpec('sigmoidSurrogate'),
  ruleSpec('erf'),
  ruleSpec('piecewiseQuadratic'),
];

/** The spiking CNN is trained with two of them (and the tied control). */
export const SNN_CNN_SURROGATES: readonly RuleSpec[] = [ruleSpec('fastSigmoid'), ruleSpec('atan')];

/** The two networks. */
export const SNN_NETS = ['mlp', 'cnn'] as const;
/** A spiking network of the experiment. */
export type SnnNet = (typeof SNN_NETS)[number];

/** Id of an `snn-mnist` config: `mlp-atan`, `cnn-tied`, … */
export function snnConfigId(net: SnnNet, ruleName: string): string {
  return `${net}-${ruleName}`;
}

/** Time steps of the rate code, and the membrane decay. */
const STEPS = 25;
const BETA = 0.95;

const MLP: ModelSpec = { kind: 'spiking-mlp', hidden: [256], steps: STEPS, beta: BETA };
const CNN: ModelSpec = { kind: 'spiking-cnn', channels: 8, steps: STEPS, beta: BETA };

const base: RunSettings = {
  model: MLP,
  dataset: { name: 'mnist' },
  loss: 'cross-entropy',
  optimizer: { name: 'adam', lr: 0.0005 },
  forward: 'heaviside',
  rule: ruleSpec('tied'),
  epochs: 5,
  batchSize: 128,
  probe: false,
};

function configs(net: SnnNet, model: ModelSpec, surrogates: readonly RuleSpec[]): ConfigSpec[] {
  return [...surrogates, ruleSpec('tied')].map((rule) => ({
    id: snnConfigId(net, rule.name),
    settings: { ...base, model, rule },
  }));
}

const full: ExperimentSpec = {
  name: 'snn-mnist',
  table: 'beyond the paper',
  description:
    'Leaky integrate-and-fire networks (an MLP 784-256-10 and a small CNN) on rate-coded MNIST over T = 25 steps: the Heaviside spike trained with five SNN surrogates, against the tied rule (zero gradient).',
  seeds: [0],
  configs: [...configs('mlp', MLP, SNN_SURROGATES), ...configs('cnn', CNN, SNN_CNN_SURROGATES)],
};

/** Default-tier protocol: hidden 128 and 4 CNN channels, a subset, 2 epochs (T = 25 kept). */
export const SNN_DEFAULT = { trainSize: 6000, testSize: 2000, epochs: 2, batchSize: 64 } as const;
const SNN_QUICK = { trainSize: 300, testSize: 200, epochs: 1, batchSize: 64 } as const;

function smaller(
  hidden: number,
  channels: number,
  steps: number,
  scaled: SubsetSettings,
): (s: RunSettings) => RunSettings {
  return onSubsetModel(scaled, (m) =>
    m.kind === 'spiking-mlp'
      ? { ...m, hidden: [hidden], steps }
      : m.kind === 'spiking-cnn'
        ? { ...m, channels, steps }
        : m,
  );
}

/** The `snn-mnist` experiment. */
export const snnMnist: ExperimentDefinition = {
  full,
  default: scaledTier(
    full,
    [0],
    smaller(128, 4, STEPS, SNN_DEFAULT),
    `hidden 128, CNN channels 4-8, MNIST ${subsetNote(SNN_DEFAULT)}`,
  ),
  quick: scaledTier(
    full,
    [0],
    smaller(32, 2, 8, SNN_QUICK),
    `hidden 32, CNN channels 2-4, T = 8, MNIST ${subsetNote(SNN_QUICK)}`,
  ),
};
