import { beyondThePaper, onSubset, ruleSpec, scaledTier, subsetNote } from './build';
import { JAM_RULES, JAMMING_BASE, JAMMING_QUICK } from './jamming';
import { mlpDigitsBase } from './mlp-digits';
import type { ConfigSpec, ExperimentDefinition, ExperimentSpec, RuleSpec, RunSettings } from './types';

/** Rules probed on the DIGITS MLP (logistic forward); `tied` is the control (cosine 1). */
const MLP_RULES: readonly RuleSpec[] = [
  ruleSpec('tied'),
  ruleSpec('constant'),
  ruleSpec('rectangular', { a: -0.5, b: 0.5 }),
  ...JAM_RULES,
];

/** LeNet-5 (ReLU forward) on MNIST with the jamming hyperparameters, probed; its rules are `JAM_RULES`. */
const lenetBase: RunSettings = { ...JAMMING_BASE, probe: true };

/** The two models `direction-probe` probes. */
export type ProbedModel = 'digits-mlp' | 'mnist-lenet-relu';

/** Id of the `direction-probe` config of a model and a rule, e.g. `digits-mlp-tied`. */
export function directionProbeConfigId(model: ProbedModel, ruleName: string): string {
  return `${model}-${ruleName}`;
}

const configs: ConfigSpec[] = [
  ...MLP_RULES.map((r) => ({
    id: directionProbeConfigId('digits-mlp', r.name),
    settings: { ...mlpDigitsBase, rule: r, probe: true },
  })),
  ...JAM_RULES.map((r) => ({
    id: directionProbeConfigId('mnist-lenet-relu', r.name),
    settings: { ...lenetBase, rule: r },
  })),
];

const full: ExperimentSpec = {
  name: 'direction-probe',
  table: 'Proposition 1 (beyond the paper)',
  description:
    "Per layer, the cosine similarity and sign agreement between each rule's gradient and the tied gradient on the same batch, during training.",
  seeds: [0],
  configs,
};

/** Quick DIGITS MLP epochs for the probe. */
const PROBE_QUICK_MLP_EPOCHS = 50;

/** The `direction-probe` experiment. */
export const directionProbe: ExperimentDefinition = beyondThePaper(
  full,
  scaledTier(
    full,
    [0],
    (s) =>
      s.model.kind === 'lenet5' ? onSubset(JAMMING_QUICK)(s) : { ...s, epochs: PROBE_QUICK_MLP_EPOCHS },
    `DIGITS MLP ${PROBE_QUICK_MLP_EPOCHS} epochs; LeNet on MNIST ${subsetNote(JAMMING_QUICK)}`,
  ),
);
