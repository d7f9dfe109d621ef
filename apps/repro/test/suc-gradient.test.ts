import { describe, expect, it } from 'vitest';
import { backward } from '@fbt/autograd';
import { Activation, type Module } from '@fbt/layers';
import { eye, Rng, tensor } from '@fbt/tensor';
import { sucOnes } from '../src/experiments/suc-ones';
import type { RunSettings } from '../src/experiments/types';
import { buildModel } from '../src/train/models';
import { objectiveFor } from '../src/train/objective';

const LN3 = Math.log(3);
/** z = 0, ln 3, −ln 3 give p = σ(z) = 1/2, 3/4, 1/4 (exact up to float32 rounding). */
const Z = [0, LN3, -LN3];
const LABELS = [1, 0, 1];

function settingsOf(config: string): RunSettings {
  return sucOnes.full.configs.find((c) => c.id === config)!.settings;
}

/** dL/dz of the suc-ones objective (BCE on probabilities, mean over the batch) through its activation. */
function gradientAtZ(config: string): number[] {
  const { forward, rule } = settingsOf(config);
  const z = tensor(Float32Array.from(Z), [3, 1]);
  z.requiresGrad = true;
  const p = new Activation(forward, rule.name, rule.params).call(z);
  backward(objectiveFor(settingsOf(config).loss).loss(p, tensor(Int32Array.from(LABELS), [3], 'int32')));
  return Array.from(z.grad!.dataSync());
}

describe('suc-ones gradient (BCE on the logistic output)', () => {
  it('constant backward: dL/dz = (p − y)/(p(1 − p)) / N, which does not shrink as p → y', () => {
    // (1/2 − 1)/(1/4)/3 = −2/3; (3/4)/(3/16)/3 = 4/3; (1/4 − 1)/(3/16)/3 = −4/3.
    const g = gradientAtZ('constant');
    expect(g[0]).toBeCloseTo(-2 / 3, 5);
    expect(g[1]).toBeCloseTo(4 / 3, 5);
    expect(g[2]).toBeCloseTo(-4 / 3, 5);
  });

  it('tied backward: dL/dz = (p − y) / N', () => {
    const g = gradientAtZ('tied');
    expect(g[0]).toBeCloseTo(-0.5 / 3, 6);
    expect(g[1]).toBeCloseTo(0.75 / 3, 6);
    expect(g[2]).toBeCloseTo(-0.75 / 3, 6);
  });

  it("the built unit model's weight gradient on one-hot inputs is that dL/dz per example", () => {
    const settings = settingsOf('constant');
    const model: Module = buildModel(settings, [3], 2, new Rng(7));
    const [weight, bias] = model.parameters().map((t) => Array.from(t.dataSync()));
    const labels = [1, 0, 0];
    backward(
      objectiveFor(settings.loss).loss(model.call(eye(3)), tensor(Int32Array.from(labels), [3], 'int32')),
    );
    const grad = Array.from(model.parameters()[0]!.grad!.dataSync());
    for (let i = 0; i < 3; i++) {
      const p = 1 / (1 + Math.exp(-(weight![i]! + bias![0]!)));
      expect(grad[i]).toBeCloseTo((p - labels[i]!) / (p * (1 - p)) / 3, 5);
    }
  });
});
