import { noGrad } from '@fbt/autograd';
import { activation, sample } from '@fbt/surrogates';
import { linspace, tidy } from '@fbt/tensor';
import { ruleTitle } from '../experiments/build';
import type { ForwardName, RuleSpec } from '../experiments/types';
import type { ActivationSample } from '../report/plots';

/** The z grid of the activation plots. */
const Z_MIN = -6;
const Z_MAX = 6;
const Z_POINTS = 121;

/**
 * φ(z) and ψ(z) of a forward/rule pair on a fixed grid, for the activation plots. ψ comes from
 * @fbt/surrogates' `sample` with seed 0, so stochastic rules plot the same draws every time.
 */
export function activationSamples(forward: ForwardName, rule: RuleSpec): ActivationSample[] {
  const panel = `${forward} / ${ruleTitle(rule)}`;
  const { zs, phi } = tidy(() =>
    noGrad(() => {
      const z = linspace(Z_MIN, Z_MAX, Z_POINTS);
      const y = activation(forward)(z);
      return { zs: Float32Array.from(z.dataSync()), phi: Float32Array.from(y.dataSync()) };
    }),
  );
  const psi = sample(rule.name, zs, {
    forward,
    seed: 0,
    ...(rule.params === undefined ? {} : { params: rule.params }),
  });
  const out: ActivationSample[] = [];
  for (let i = 0; i < zs.length; i++) {
    out.push({ panel, curve: 'forward φ(z)', z: zs[i]!, value: phi[i]! });
    out.push({ panel, curve: 'backward ψ(z)', z: zs[i]!, value: psi[i]! });
  }
  return out;
}
