import { describe, expect, it } from 'vitest';
import {
  abs,
  add,
  cast,
  clamp,
  div,
  exp,
  greater,
  log,
  maximum,
  minimum,
  mul,
  neg,
  pow,
  reciprocal,
  relu,
  sigmoid,
  sqrt,
  square,
  sub,
  sum,
  tanh,
  tensor,
  where,
  type Tensor,
} from '@fbt/tensor';
import { backward } from '../src';
import { arr, expectGradOk, positive, values } from './helpers';

// Tolerances: eps 1e-3, atol 1e-3, rtol 1e-2 (helpers.TOLERANCES) unless a test says otherwise.

describe('unary gradients (gradCheck)', () => {
  const x = values([3, 4], 1);
  const cases: [string, (t: Tensor) => Tensor, Tensor][] = [
    ['neg', neg, x],
    ['abs', abs, x],
    ['exp', exp, x],
    ['log', log, positive([3, 4], 2)],
    ['sqrt', sqrt, positive([3, 4], 3)],
    ['square', square, x],
    ['reciprocal', reciprocal, values([3, 4], 4, 0.5, 2)],
    ['tanh', tanh, x],
    ['sigmoid', sigmoid, x],
    ['relu', relu, x],
    ['clamp', (t) => clamp(t, -0.7, 0.9), values([5, 6], 5, 0.1, 1.4)],
    ['cast to float32', (t) => cast(t, 'float32'), x],
  ];
  for (const [name, fn, input] of cases) {
    it(name, () => expectGradOk(fn, [input]));
  }
});

describe('binary gradients with broadcasting (gradCheck)', () => {
  const shapes: [number[], number[]][] = [
    [
      [3, 4],
      [3, 4],
    ],
    [[3, 4], [4]],
    [
      [2, 1, 4],
      [3, 1],
    ],
    [[], [2, 3]],
  ];
  const ops: [string, (a: Tensor, b: Tensor) => Tensor][] = [
    ['add', add],
    ['sub', sub],
    ['mul', mul],
    ['div', div],
    ['maximum', maximum],
    ['minimum', minimum],
  ];
  for (const [name, op] of ops) {
    for (const [sa, sb] of shapes) {
      it(`${name} ${JSON.stringify(sa)} with ${JSON.stringify(sb)}`, () =>
        expectGradOk(op, [values(sa, 10 + sa.length), values(sb, 20 + sb.length, 0.3, 1.7)]));
    }
  }
  it('pow with a positive base, both operands broadcast', () =>
    expectGradOk(pow, [positive([2, 3], 30), values([3], 31, 0.5, 2)]));
  it('where with a broadcast condition', () => {
    const cond = greater(values([3, 1], 40), 0);
    expectGradOk((a, b) => where(cond, a, b), [values([3, 4], 41), values([4], 42)]);
  });
});

describe('gradient conventions', () => {
  it('maximum/minimum send a tie to the first operand', () => {
    const a = tensor([1, 2]);
    const b = tensor([1, 3]);
    a.requiresGrad = true;
    b.requiresGrad = true;
    backward(sum(add(maximum(a, b), mul(minimum(a, b), 10))));
    expect(arr(a.grad)).toEqual([11, 10]);
    expect(arr(b.grad)).toEqual([0, 1]);
  });

  it("relu'(0) = 0 (as in @fbt/surrogates and PyTorch), abs'(0) = sign(0) = 1, clamp passes the gradient at its bounds", () => {
    const x = tensor([0, -1, 2]);
    x.requiresGrad = true;
    backward(sum(relu(x)));
    expect(arr(x.grad)).toEqual([0, 0, 1]);
    const y = tensor([0, -1]);
    y.requiresGrad = true;
    backward(sum(abs(y)));
    expect(arr(y.grad)).toEqual([1, -1]);
    const z = tensor([-1, 1, 0.5, 2]);
    z.requiresGrad = true;
    backward(sum(clamp(z, -1, 1)));
    expect(arr(z.grad)).toEqual([1, 1, 1, 0]);
  });
});
