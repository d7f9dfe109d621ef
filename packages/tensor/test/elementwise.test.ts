import { describe, expect, it } from 'vitest';
import {
  abs,
  add,
  cast,
  clamp,
  div,
  equal,
  exp,
  greater,
  greaterEqual,
  less,
  lessEqual,
  log,
  maximum,
  minimum,
  mul,
  neg,
  notEqual,
  pow,
  reciprocal,
  relu,
  sigmoid,
  sign,
  sqrt,
  square,
  step,
  sub,
  tanh,
  tensor,
  where,
} from '../src';
import { f32, values } from './helpers';

const x = tensor([-2, -0.5, 0, 0.5, 3]);

describe('binary ops on same shapes', () => {
  const a = tensor([1, 2, 3, 4]);
  const b = tensor([4, 3, 2, 1]);
  it('computes arithmetic exactly', () => {
    expect(values(add(a, b))).toEqual([5, 5, 5, 5]);
    expect(values(sub(a, b))).toEqual([-3, -1, 1, 3]);
    expect(values(mul(a, b))).toEqual([4, 6, 6, 4]);
    expect(values(div(a, b))).toEqual([0.25, f32(2 / 3), 1.5, 4]);
    expect(values(pow(a, b))).toEqual([1, 8, 9, 4]);
    expect(values(minimum(a, b))).toEqual([1, 2, 2, 1]);
    expect(values(maximum(a, b))).toEqual([4, 3, 3, 4]);
  });
  it('compares to float32 0/1', () => {
    for (const [op, expected] of [
      [greater, [0, 0, 1, 1]],
      [greaterEqual, [0, 0, 1, 1]],
      [less, [1, 1, 0, 0]],
      [lessEqual, [1, 1, 0, 0]],
      [equal, [0, 0, 0, 0]],
      [notEqual, [1, 1, 1, 1]],
    ] as const) {
      const r = op(a, b);
      expect(r.dtype).toBe('float32');
      expect(values(r)).toEqual(expected);
    }
    expect(values(equal(a, tensor([1, 0, 3, 0])))).toEqual([1, 0, 1, 0]);
    expect(values(greaterEqual(a, tensor([1, 3, 3, 5])))).toEqual([1, 0, 1, 0]);
  });
  it('follows IEEE for division by zero and NaN', () => {
    expect(values(div(tensor([1, -1, 0]), 0))).toEqual([Infinity, -Infinity, NaN]);
    expect(values(maximum(tensor([NaN, 1]), 0))).toEqual([NaN, 1]);
    expect(values(equal(tensor([NaN]), tensor([NaN])))).toEqual([0]);
    expect(values(notEqual(tensor([NaN]), tensor([NaN])))).toEqual([1]);
  });
});

describe('scalar operands', () => {
  it('accepts a number on either side', () => {
    expect(values(sub(10, tensor([1, 2])))).toEqual([9, 8]);
    expect(values(div(tensor([1, 2]), 4))).toEqual([0.25, 0.5]);
    expect(values(mul(tensor([[1, 2]]), 3))).toEqual([3, 6]);
    expect(add(2, 3).shape).toEqual([]);
    expect(add(2, 3).item()).toBe(5);
  });
});

describe('unary ops', () => {
  it('computes hand-checked values', () => {
    expect(values(neg(x))).toEqual([2, 0.5, -0, -0.5, -3]);
    expect(values(abs(x))).toEqual([2, 0.5, 0, 0.5, 3]);
    expect(values(square(x))).toEqual([4, 0.25, 0, 0.25, 9]);
    expect(values(relu(x))).toEqual([0, 0, 0, 0.5, 3]);
    expect(values(sign(x))).toEqual([-1, -1, 1, 1, 1]);
    expect(values(step(x))).toEqual([0, 0, 1, 1, 1]);
    expect(values(reciprocal(tensor([2, -4, 0])))).toEqual([0.5, -0.25, Infinity]);
    expect(values(sqrt(tensor([4, 0.25, -1])))).toEqual([2, 0.5, NaN]);
    expect(values(log(tensor([1, 0, -1])))).toEqual([0, -Infinity, NaN]);
    expect(values(exp(tensor([0, 1])))).toEqual([1, f32(Math.E)]);
    expect(values(tanh(tensor([0, 1])))).toEqual([0, f32(Math.tanh(1))]);
    expect(values(sigmoid(tensor([0, 2])))).toEqual([0.5, f32(1 / (1 + Math.exp(-2)))]);
  });
  it('keeps the conventions H(0)=1 and sign(0)=+1, also for -0', () => {
    expect(values(step(tensor([0, -0])))).toEqual([1, 1]);
    expect(values(sign(tensor([0, -0])))).toEqual([1, 1]);
  });
  it('propagates NaN through relu, sign and step', () => {
    expect(values(relu(tensor([NaN])))).toEqual([NaN]);
    expect(values(sign(tensor([NaN])))).toEqual([NaN]);
    expect(values(step(tensor([NaN])))).toEqual([NaN]);
  });
  it('keeps sigmoid finite and exact at ±1000', () => {
    expect(values(sigmoid(tensor([1000, -1000, 80, -80])))).toEqual([1, 0, 1, f32(1 / (1 + Math.exp(80)))]);
  });
  it('handles empty tensors', () => {
    const e = exp(tensor([], [0, 3]));
    expect(e.shape).toEqual([0, 3]);
    expect(e.size).toBe(0);
  });
});

describe('clamp, where, cast', () => {
  it('clamps to [min, max] and keeps NaN', () => {
    expect(values(clamp(tensor([-5, 0.5, 5, NaN]), -1, 1))).toEqual([-1, 0.5, 1, NaN]);
  });
  it('picks with where, broadcasting and accepting numbers', () => {
    const cond = tensor([[1], [0]]);
    expect(where(cond, tensor([1, 2, 3]), -1).toArray()).toEqual([
      [1, 2, 3],
      [-1, -1, -1],
    ]);
    expect(values(where(tensor([0, 2, NaN]), 7, 9))).toEqual([9, 7, 7]);
  });
  it('casts with truncation toward zero', () => {
    const i = cast(tensor([1.7, -1.7, 2]), 'int32');
    expect(i.dtype).toBe('int32');
    expect(values(i)).toEqual([1, -1, 2]);
    const f = cast(i, 'float32');
    expect(f.dtype).toBe('float32');
    expect(values(f)).toEqual([1, -1, 2]);
  });
});

describe('int32 arithmetic', () => {
  const a = tensor(new Int32Array([7, -3, 2]));
  const b = tensor(new Int32Array([2, 2, 5]));
  it('keeps int32 for add, sub, mul, minimum, maximum, neg, abs, square', () => {
    for (const [r, expected] of [
      [add(a, b), [9, -1, 7]],
      [sub(a, b), [5, -5, -3]],
      [mul(a, b), [14, -6, 10]],
      [minimum(a, b), [2, -3, 2]],
      [maximum(a, b), [7, 2, 5]],
      [neg(a), [-7, 3, -2]],
      [abs(a), [7, 3, 2]],
      [square(a), [49, 9, 4]],
    ] as const) {
      expect(r.dtype).toBe('int32');
      expect(values(r)).toEqual(expected);
    }
  });
  it('gives float32 for div, pow, exp and comparisons', () => {
    expect(div(a, b).dtype).toBe('float32');
    expect(values(div(a, b))).toEqual([3.5, -1.5, 0.4].map(f32));
    expect(pow(a, b).dtype).toBe('float32');
    expect(exp(a).dtype).toBe('float32');
    expect(less(a, b).dtype).toBe('float32');
  });
  it('wraps like C on overflow, with exact products', () => {
    const big = tensor(new Int32Array([2147483647, 65537]));
    expect(values(add(big, 1))).toEqual([-2147483648, 65538]);
    expect(values(mul(big, big))).toEqual([1, 131073]);
  });
  it('mixes int32 with float32 into float32, and integer numbers keep int32', () => {
    expect(add(a, tensor([0.5, 0.5, 0.5])).dtype).toBe('float32');
    expect(add(a, 1).dtype).toBe('int32');
    expect(add(a, 0.5).dtype).toBe('float32');
    expect(values(add(a, 0.5))).toEqual([7.5, -2.5, 2.5]);
  });
});
