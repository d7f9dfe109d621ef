import { backward } from '@fbt/autograd';
import type { Module } from '@fbt/layers';
import { withRule } from '@fbt/surrogates';
import { tidy, type Tensor } from '@fbt/tensor';
import type { LayerProbe } from '../results/records';
import type { Objective } from './objective';

function gradients(model: Module, objective: Objective, x: Tensor, y: Tensor): Map<string, Float32Array> {
  const params = model.namedParameters();
  for (const [, p] of params) {
    p.grad?.dispose();
    p.grad = null;
  }
  tidy(() => backward(objective.loss(model.call(x), y)));
  const out = new Map<string, Float32Array>();
  for (const [name, p] of params) {
    if (p.grad === null) continue;
    out.set(name, Float32Array.from(p.grad.dataSync()));
    p.grad.dispose();
    p.grad = null;
  }
  return out;
}

/** Cosine similarity and sign agreement (sign(0) = +1) of two gradient vectors. */
export function compareGradients(layer: string, rule: Float32Array, tied: Float32Array): LayerProbe {
  let dot = 0;
  let nr = 0;
  let nt = 0;
  let agree = 0;
  for (let i = 0; i < rule.length; i++) {
    const a = rule[i]!;
    const b = tied[i]!;
    dot += a * b;
    nr += a * a;
    nt += b * b;
    if (a >= 0 === b >= 0) agree++;
  }
  const norm = Math.sqrt(nr) * Math.sqrt(nt);
  return {
    layer,
    // Rounding in the sums can put |dot| an ulp above the product of the norms (two equal vectors
    // giving 1.0000000000000002): a cosine is clamped to [-1, 1].
    cosine: norm === 0 ? 0 : Math.min(1, Math.max(-1, dot / norm)),
    signAgreement: rule.length === 0 ? 0 : agree / rule.length,
  };
}

/**
 * Proposition 1, measured: on the batch (x, y), the gradient of every parameter under the model's own
 * backward rule and under `tied` (two backward passes, the second inside `withRule('tied')`), compared
 * per parameter tensor. Leaves every `.grad` cleared.
 */
export function probeDirections(model: Module, objective: Objective, x: Tensor, y: Tensor): LayerProbe[] {
  const own = gradients(model, objective, x, y);
  const tied = withRule('tied', () => gradients(model, objective, x, y));
  return [...own].map(([layer, g]) =>
    compareGradients(layer, g, tied.get(layer) ?? new Float32Array(g.length)),
  );
}
