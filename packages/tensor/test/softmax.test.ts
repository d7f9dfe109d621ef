import { describe, expect, it } from 'vitest';
import { logSoftmax, softmax, tensor } from '../src';
import { f32, values } from './helpers';

describe('softmax', () => {
  it('matches the formula on the last axis', () => {
    const e1 = Math.exp(1);
    const s = 1 + e1 + Math.exp(2);
    expect(values(softmax(tensor([0, 1, 2])))).toEqual([1 / s, e1 / s, Math.exp(2) / s].map(f32));
  });
  it('is stable at ±1000', () => {
    expect(values(softmax(tensor([1000, 0, -1000])))).toEqual([1, 0, 0]);
    expect(values(softmax(tensor([1000, 1000])))).toEqual([0.5, 0.5]);
    expect(values(softmax(tensor([-1000, -1000])))).toEqual([0.5, 0.5]);
  });
  it('works along another axis', () => {
    const r = softmax(
      tensor([
        [0, 5],
        [0, 5],
      ]),
      0,
    );
    expect(values(r)).toEqual([0.5, 0.5, 0.5, 0.5]);
  });
  it('gives float32 for int32 input and keeps empty shapes', () => {
    expect(softmax(tensor(new Int32Array([1, 2]))).dtype).toBe('float32');
    expect(softmax(tensor([], [0, 3])).shape).toEqual([0, 3]);
  });
});

describe('logSoftmax', () => {
  it('matches log of the formula', () => {
    const lse = Math.log(1 + Math.exp(1) + Math.exp(2));
    expect(values(logSoftmax(tensor([0, 1, 2])))).toEqual([-lse, 1 - lse, 2 - lse].map(f32));
  });
  it('is finite and exact at ±1000', () => {
    expect(values(logSoftmax(tensor([1000, 0, -1000])))).toEqual([0, -1000, -2000]);
    expect(values(logSoftmax(tensor([[0, 1000]]), 1))).toEqual([-1000, 0]);
  });
  it('works along axis 1 of a rank-3 tensor', () => {
    const r = logSoftmax(tensor([0, 0, 0, 0], [1, 2, 2]), 1);
    expect(values(r)).toEqual(new Array(4).fill(f32(-Math.log(2))));
  });
});
