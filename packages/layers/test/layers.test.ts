import { describe, expect, it } from 'vitest';
import { gradCheck } from '@fbt/autograd';
import { Rng, ShapeError, randn, tensor, type Tensor } from '@fbt/tensor';
import {
  AvgPool2d,
  BatchNorm1d,
  BatchNorm2d,
  Conv2d,
  Dropout,
  Flatten,
  Linear,
  MaxPool2d,
  type Module,
} from '../src';
import { values } from './helpers';

/** gradCheck of a module's output with respect to its input and each named parameter. */
function checkModule(module: Module, x: Tensor): void {
  const names = module.namedParameters().map(([n]) => n);
  const params = module.namedParameters().map(([, p]) => p);
  const result = gradCheck(
    (input, ...ps) => module.callWith(Object.fromEntries(names.map((n, i) => [n, ps[i]!])), input!),
    [x, ...params],
  );
  expect(result.worst).not.toBeNull();
  expect(result.ok, JSON.stringify(result)).toBe(true);
}

describe('layers', () => {
  it('Linear computes x·Wᵀ + b and passes gradCheck', () => {
    const layer = new Linear(3, 2, { rng: new Rng(1) });
    const y = layer.callWith(
      {
        weight: tensor([
          [1, 0, -1],
          [2, 1, 0],
        ]),
        bias: tensor([0.5, -1]),
      },
      tensor([[1, 2, 3]]),
    );
    expect(values(y)).toEqual([-1.5, 3]);
    checkModule(layer, randn([4, 3], new Rng(2)));
    checkModule(new Linear(3, 2, { rng: new Rng(1), bias: false }), randn([2, 3], new Rng(2)));
  });

  it('Conv2d with stride and padding has the right shape, value and gradients', () => {
    const layer = new Conv2d(2, 3, 3, { stride: 2, padding: 1, rng: new Rng(3) });
    const x = randn([2, 2, 5, 5], new Rng(4));
    expect(layer.call(x).shape).toEqual([2, 3, 3, 3]);
    const ones = new Conv2d(1, 1, 2, { rng: new Rng(1), bias: false });
    const sum = ones.callWith(
      { weight: tensor(new Float32Array([1, 1, 1, 1]), [1, 1, 2, 2]) },
      tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3]),
    );
    expect(values(sum)).toEqual([12, 16, 24, 28]);
    checkModule(layer, randn([1, 2, 5, 5], new Rng(5)));
    checkModule(
      new Conv2d(2, 2, [2, 3], { rng: new Rng(6), stride: [1, 2] }),
      randn([2, 2, 4, 5], new Rng(7)),
    );
  });

  it('pooling layers compute max/mean and pass gradCheck', () => {
    const x = tensor([1, 5, 2, 0, 3, 4, 8, 6, 7, 1, 2, 3, 9, 0, 4, 5], [1, 1, 4, 4]);
    expect(values(new MaxPool2d(2).call(x))).toEqual([5, 8, 9, 5]);
    expect(values(new AvgPool2d(2).call(x))).toEqual([3.25, 4, 4.25, 3.5]);
    expect(new MaxPool2d(3, { stride: 1, padding: 1 }).call(x).shape).toEqual([1, 1, 4, 4]);
    // Distinct values keep max pooling away from ties.
    const distinct = tensor(
      Float32Array.from(new Rng(8).permutation(32), (v) => v * 0.1),
      [1, 2, 4, 4],
    );
    checkModule(new MaxPool2d(2), distinct);
    checkModule(new AvgPool2d(3, { stride: 1, padding: 1 }), randn([1, 2, 4, 4], new Rng(9)));
  });

  it('BatchNorm in training mode normalises per channel, updates running stats and passes gradCheck', () => {
    const bn = new BatchNorm1d(2);
    const x = tensor([
      [1, 10],
      [3, 20],
      [5, 60],
    ]);
    const y = values(bn.call(x));
    // Channel 0: mean 3, biased variance 8/3.
    const s0 = Math.sqrt(8 / 3 + 1e-5);
    expect(y[0]).toBeCloseTo(-2 / s0, 5);
    expect(y[4]).toBeCloseTo(2 / s0, 5);
    // Running stats: 0.9·init + 0.1·batch, the variance unbiased (8/3 · 3/2 = 4).
    expect(values(bn.runningMean)[0]).toBeCloseTo(0.3, 6);
    expect(values(bn.runningVar)[0]).toBeCloseTo(0.9 + 0.4, 6);
    expect(values(bn.runningMean)[1]).toBeCloseTo(3, 5);
    bn.eval();
    const evalOut = values(bn.call(tensor([[0.3, 3]])));
    expect(evalOut[0]).toBeCloseTo(0, 5);
    expect(evalOut[1]).toBeCloseTo(0, 5);
    checkModule(new BatchNorm1d(3), randn([4, 3], new Rng(10)));
    checkModule(new BatchNorm2d(2), randn([2, 2, 3, 3], new Rng(11)));
    expect(() => new BatchNorm2d(2).call(randn([2, 3, 3, 3], new Rng(1)))).toThrow(
      /BatchNorm2d: input of shape \[2, 3, 3, 3\]; expected \[N, C, H, W\] with C = 2/,
    );
    expect(() => new BatchNorm1d(2).call(tensor([[1, 2]]))).toThrow(/more than one value per channel/);
  });

  it('Dropout is seeded inverted dropout in training and the identity in eval', () => {
    const x = tensor(new Float32Array(10000).fill(1), [100, 100]);
    const a = values(new Dropout(0.25, { rng: new Rng(5) }).call(x));
    const b = values(new Dropout(0.25, { rng: new Rng(5) }).call(x));
    expect(a).toEqual(b);
    expect(new Set(a)).toEqual(new Set([0, 4 / 3].map(Math.fround)));
    const dropped = a.filter((v) => v === 0).length / a.length;
    expect(Math.abs(dropped - 0.25)).toBeLessThan(0.02);
    const layer = new Dropout(0.25, { rng: new Rng(5) });
    expect(values(layer.call(x))).not.toEqual(values(layer.call(x))); // a fresh mask per call
    layer.eval();
    expect(layer.call(x)).toBe(x);
  });

  it('Flatten keeps the batch axis', () => {
    expect(new Flatten().call(randn([2, 3, 4, 5], new Rng(1))).shape).toEqual([2, 60]);
    expect(() => new Conv2d(3, 1, 2, { rng: new Rng(1) }).call(randn([1, 2, 4, 4], new Rng(1)))).toThrow(
      ShapeError,
    );
    expect(() => new Conv2d(3, 1, 0, { rng: new Rng(1) })).toThrow(/kernelSize=0; expected an integer >= 1/);
  });
});
