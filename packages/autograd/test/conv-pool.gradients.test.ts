import { describe, it } from 'vitest';
import {
  avgPool2d,
  col2im,
  conv2d,
  im2col,
  maxPool2d,
  Rng,
  tensor,
  type Shape,
  type Tensor,
} from '@fbt/tensor';
import { expectGradOk, values } from './helpers';

// Tolerances: eps 1e-3, atol 1e-3, rtol 1e-2 (helpers.TOLERANCES).

/** Distinct values 0.05 apart in a seeded order, so no pooling window has a tie or a near-tie. */
function distinct(shape: Shape, seed: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const order = new Rng(seed).permutation(n);
  return tensor(
    Float32Array.from(order, (k) => (k - n / 2) * 0.05),
    shape,
  );
}

describe('conv2d gradients (gradCheck)', () => {
  const cases: [
    string,
    Shape,
    Shape,
    { stride?: [number, number]; padding?: [number, number]; dilation?: [number, number] },
  ][] = [
    ['no stride, no padding', [2, 2, 5, 5], [3, 2, 3, 3], {}],
    ['stride 2, padding 1', [2, 3, 6, 7], [2, 3, 3, 3], { stride: [2, 2], padding: [1, 1] }],
    [
      'uneven stride, padding and dilation',
      [1, 2, 7, 6],
      [2, 2, 3, 2],
      { stride: [2, 1], padding: [1, 2], dilation: [1, 2] },
    ],
  ];
  for (const [name, xs, ws, options] of cases) {
    it(name, () => expectGradOk((x, w) => conv2d(x, w, options), [values(xs, 1), values(ws, 2)]));
    it(`${name}, with a bias`, () =>
      expectGradOk(
        (x, w, bias) => conv2d(x, w, { ...options, bias }),
        [values(xs, 1), values(ws, 2), values([ws[0]!], 3)],
      ));
  }
});

describe('im2col / col2im gradients (gradCheck)', () => {
  const options = {
    kernelSize: [2, 3] as [number, number],
    stride: [1, 2] as [number, number],
    padding: [1, 0] as [number, number],
  };
  it('im2col', () => expectGradOk((x) => im2col(x, options), [values([2, 2, 4, 5], 3)]));
  it('col2im', () => {
    const cols = im2col(values([2, 2, 4, 5], 4), options);
    expectGradOk((c) => col2im(c, { ...options, inputShape: [2, 2, 4, 5] }), [cols]);
  });
});

describe('pooling gradients (gradCheck)', () => {
  it('maxPool2d 2x2', () =>
    expectGradOk((x) => maxPool2d(x, { kernelSize: 2 }), [distinct([2, 2, 4, 6], 5)]));
  it('maxPool2d 3x3, stride 2, padding 1', () =>
    expectGradOk((x) => maxPool2d(x, { kernelSize: 3, stride: 2, padding: 1 }), [distinct([1, 2, 7, 6], 6)]));
  it('avgPool2d 2x2', () => expectGradOk((x) => avgPool2d(x, { kernelSize: 2 }), [values([2, 2, 4, 6], 7)]));
  it('avgPool2d 3x2, stride [2, 1], padding 1', () =>
    expectGradOk(
      (x) => avgPool2d(x, { kernelSize: [3, 2], stride: [2, 1], padding: 1 }),
      [values([1, 2, 7, 6], 8)],
    ));
});
