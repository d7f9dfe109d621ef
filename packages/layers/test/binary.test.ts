import { describe, expect, it } from 'vitest';
import { backward } from '@fbt/autograd';
import { Rng, mul, randn, sum, tensor, type Tensor } from '@fbt/tensor';
import { BinaryConv2d, BinaryLinear, Conv2d, Linear, Sequential } from '../src';
import { values } from './helpers';

/** Gradient of Σ r·layer(x) with respect to the layer's weight. */
function weightGrad(layer: Linear | Conv2d, x: Tensor, r: Tensor): number[] {
  backward(sum(mul(layer.call(x), r)));
  return values(layer.weight.grad!);
}

const latentLinear = [
  [0.5, -1.5, 0],
  [-0.2, 0.9, 2],
];

describe('binary layers', () => {
  it('BinaryLinear uses sign(w) (sign(0) = +1) and passes g·1[|w| ≤ 1] to the latent weight', () => {
    const layer = new BinaryLinear(3, 2, { rng: new Rng(1) });
    layer.loadStateDict({ weight: tensor(latentLinear) });
    expect(values(layer.effectiveWeight())).toEqual([1, -1, 1, -1, 1, 1]);
    const x = randn([4, 3], new Rng(2));
    const r = randn([4, 2], new Rng(3));
    const reference = new Linear(3, 2, { rng: new Rng(1), bias: false });
    reference.loadStateDict({ weight: tensor([1, -1, 1, -1, 1, 1], [2, 3]) });
    expect(values(layer.call(x))).toEqual(values(reference.call(x)));
    const dEffective = weightGrad(reference, x, r);
    const mask = latentLinear.flat().map((w) => (Math.abs(w) <= 1 ? 1 : 0));
    expect(weightGrad(layer, x, r)).toEqual(dEffective.map((g, i) => g * mask[i]!));
  });

  it('scale multiplies each output row by α = mean|w| in the forward and in the backward', () => {
    const layer = new BinaryLinear(3, 2, { rng: new Rng(1), scale: true });
    layer.loadStateDict({ weight: tensor(latentLinear) });
    const alpha = [Math.fround(2 / 3), Math.fround(3.1 / 3)];
    values(layer.effectiveWeight()).forEach((w, i) =>
      expect(w).toBeCloseTo([1, -1, 1, -1, 1, 1][i]! * alpha[Math.floor(i / 3)]!, 6),
    );
    const x = randn([4, 3], new Rng(2));
    const r = randn([4, 2], new Rng(3));
    const reference = new Linear(3, 2, { rng: new Rng(1), bias: false });
    reference.loadStateDict({ weight: layer.effectiveWeight() });
    const dEffective = weightGrad(reference, x, r);
    const got = weightGrad(layer, x, r);
    latentLinear.flat().forEach((w, i) => {
      const expected = Math.abs(w) <= 1 ? dEffective[i]! * alpha[Math.floor(i / 3)]! : 0;
      expect(got[i]).toBeCloseTo(expected, 5);
    });
  });

  it('BinaryConv2d binarises per output channel with the same estimator', () => {
    const layer = new BinaryConv2d(1, 2, 2, { rng: new Rng(4), padding: 1 });
    const latent = [0.3, -0.7, 1.2, 0, -2, 0.1, 0.5, -0.5];
    layer.loadStateDict({ weight: tensor(latent, [2, 1, 2, 2]) });
    const signs = latent.map((w) => (w >= 0 ? 1 : -1));
    expect(values(layer.effectiveWeight())).toEqual(signs);
    const x = randn([2, 1, 3, 3], new Rng(5));
    const r = randn([2, 2, 4, 4], new Rng(6));
    const reference = new Conv2d(1, 2, 2, { rng: new Rng(4), padding: 1, bias: false });
    reference.loadStateDict({ weight: tensor(signs, [2, 1, 2, 2]) });
    const dEffective = weightGrad(reference, x, r);
    weightGrad(layer, x, r).forEach((g, i) =>
      expect(g).toBeCloseTo(Math.abs(latent[i]!) <= 1 ? dEffective[i]! : 0, 5),
    );
  });

  it('applyConstraints clips latent weights of every binary layer in a model to [−clip, clip]', () => {
    const first = new BinaryLinear(3, 2, { rng: new Rng(1), clip: 0.5 });
    const model = new Sequential(first, new BinaryLinear(2, 1, { rng: new Rng(2) }));
    first.loadStateDict({ weight: tensor(latentLinear) });
    model.applyConstraints();
    expect(values(first.weight)).toEqual([0.5, -0.5, 0, -0.2, 0.5, 0.5].map(Math.fround));
    expect(() => new BinaryLinear(3, 2, { rng: new Rng(1), clip: 0 })).toThrow(
      /BinaryLinear: clip=0; expected a finite number > 0/,
    );
    expect(new BinaryLinear(3, 2, { rng: new Rng(1) }).bias).toBeNull();
  });
});
