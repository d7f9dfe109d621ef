import { describe, expect, it } from 'vitest';
import { ArgumentError, Rng, tensor } from '@fbt/tensor';
import {
  Activation,
  Adam,
  AdamW,
  AvgPool2d,
  BatchNorm1d,
  BatchNorm2d,
  BinaryConv2d,
  BinaryLinear,
  Conv2d,
  Dropout,
  Linear,
  MaxPool2d,
  SGD,
  accuracy,
  bce,
  bceWithLogits,
  confusionMatrix,
  crossEntropy,
  mse,
  nllLoss,
} from '../src';

const rng = new Rng(0);
const p = tensor([1, 2]);
const scores = tensor([0.1, 0.9, 0.8, 0.2], [2, 2]);
const labels = tensor(new Int32Array([1, 0]), [2]);

/** Each call passes one unknown key; the message names it and lists the valid keys. */
const cases: [string, () => unknown, string][] = [
  [
    'SGD',
    () => new SGD([p], { lr: 0.1, weight_decay: 0.5 } as never),
    'lr, momentum, dampening, nesterov, weightDecay',
  ],
  ['Adam', () => new Adam([p], { lr: 0.1, beta1: 0.8 } as never), 'lr, betas, eps, weightDecay'],
  ['AdamW', () => new AdamW([p], { weight_decay: 0 } as never), 'lr, betas, eps, weightDecay'],
  ['Linear', () => new Linear(2, 2, { rng, init: 1 } as never), 'bias, rng, weightInit'],
  [
    'Conv2d',
    () => new Conv2d(1, 1, 3, { rng, dilation: 2 } as never),
    'bias, rng, weightInit, stride, padding',
  ],
  [
    'BinaryLinear',
    () => new BinaryLinear(2, 2, { rng, scaled: true } as never),
    'bias, rng, weightInit, scale, clip, binaryInput',
  ],
  [
    'BinaryConv2d',
    () => new BinaryConv2d(1, 1, 3, { rng, clamp: 1 } as never),
    'bias, rng, weightInit, stride, padding, scale, clip, binaryInput',
  ],
  ['MaxPool2d', () => new MaxPool2d(2, { ceilMode: true } as never), 'stride, padding'],
  ['AvgPool2d', () => new AvgPool2d(2, { count_include_pad: false } as never), 'stride, padding'],
  ['BatchNorm1d', () => new BatchNorm1d(2, { trackRunningStats: false } as never), 'momentum, eps, affine'],
  ['BatchNorm2d', () => new BatchNorm2d(2, { epsilon: 1e-3 } as never), 'momentum, eps, affine'],
  ['Dropout', () => new Dropout(0.5, { rng, inplace: true } as never), 'rng'],
  ['activation', () => new Activation('relu', 'tied', undefined, { label: 'x' } as never), 'name'],
  ['crossEntropy', () => crossEntropy(scores, labels, { reduce: 'sum' } as never), 'reduction'],
  ['nllLoss', () => nllLoss(scores, labels, { weight: p } as never), 'reduction'],
  ['bce', () => bce(scores, scores, { weight: p } as never), 'reduction'],
  ['bceWithLogits', () => bceWithLogits(scores, scores, { posWeight: p } as never), 'reduction'],
  ['mse', () => mse(scores, scores, { reductions: 'sum' } as never), 'reduction'],
  ['accuracy', () => accuracy(scores, labels, { thresh: 0.5 } as never), 'threshold'],
  ['confusionMatrix', () => confusionMatrix(scores, labels, 2, { thresh: 0.5 } as never), 'threshold'],
];

describe('unknown option keys are refused', () => {
  for (const [op, call, valid] of cases) {
    it(op, () => {
      expect(call).toThrow(ArgumentError);
      expect(call).toThrow(new RegExp(`^${op}: unknown option '\\w+'; valid options: ${valid}$`));
    });
  }

  it('SGD with weight_decay used to run with no weight decay', () => {
    expect(() => new SGD([p], { lr: 0.1, weight_decay: 0.5 } as never)).toThrow(
      "SGD: unknown option 'weight_decay'; valid options: lr, momentum, dampening, nesterov, weightDecay",
    );
  });

  it('the binary layers still take their own options', () => {
    const layer = new BinaryLinear(2, 2, { rng, scale: true, clip: 0.5 });
    expect(layer.bias).toBeNull();
    expect(new BinaryConv2d(1, 1, 3, { rng, padding: 1, clip: 2 }).padding).toEqual([1, 1]);
  });
});
