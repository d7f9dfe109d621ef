import { describe, expect, it } from 'vitest';
import { argmax, argmin, max, mean, min, sum, tensor, variance } from '../src';
import { f32, values } from './helpers';

// [[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]]]
const x = tensor(
  Array.from({ length: 12 }, (_, i) => i + 1),
  [2, 2, 3],
);

describe('sum, mean, max, min', () => {
  it('reduces everything by default', () => {
    expect(sum(x).shape).toEqual([]);
    expect(sum(x).item()).toBe(78);
    expect(mean(x).item()).toBe(6.5);
    expect(max(x).item()).toBe(12);
    expect(min(x).item()).toBe(1);
  });
  it('reduces one axis, negative axes and axis lists', () => {
    expect(sum(x, 0).toArray()).toEqual([
      [8, 10, 12],
      [14, 16, 18],
    ]);
    expect(sum(x, -1).toArray()).toEqual([
      [6, 15],
      [24, 33],
    ]);
    expect(sum(x, 1).toArray()).toEqual([
      [5, 7, 9],
      [17, 19, 21],
    ]);
    expect(values(sum(x, [0, 2]))).toEqual([30, 48]);
    expect(values(mean(x, [0, -1]))).toEqual([5, 8]);
    expect(values(max(x, [0, 1]))).toEqual([10, 11, 12]);
    expect(values(min(x, 2))).toEqual([1, 4, 7, 10]);
  });
  it('keeps reduced axes as size 1 with keepDims', () => {
    expect(sum(x, 1, true).shape).toEqual([2, 1, 3]);
    expect(max(x, undefined, true).shape).toEqual([1, 1, 1]);
    expect(values(mean(x, [1, 2], true))).toEqual([3.5, 9.5]);
  });
  it('reduces nothing for an empty axis list', () => {
    expect(values(sum(x, []))).toEqual(values(x));
  });
  it('handles empty tensors: sum 0, mean NaN', () => {
    const e = tensor([], [0, 2]);
    expect(values(sum(e, 0))).toEqual([0, 0]);
    expect(values(mean(e, 0))).toEqual([NaN, NaN]);
    expect(sum(e, 1).shape).toEqual([0]);
  });
  it('propagates NaN through max and min', () => {
    expect(max(tensor([1, NaN, 3])).item()).toBeNaN();
    expect(
      values(
        min(
          tensor([
            [NaN, 1],
            [2, 3],
          ]),
          0,
        ),
      ),
    ).toEqual([NaN, 1]);
  });
  it('keeps int32 for sum, max and min and gives float32 means', () => {
    const i = tensor(new Int32Array([1, 2, 3, 4]), [2, 2]);
    expect(sum(i, 0).dtype).toBe('int32');
    expect(values(sum(i, 0))).toEqual([4, 6]);
    expect(max(i).dtype).toBe('int32');
    expect(mean(i).dtype).toBe('float32');
    expect(mean(i).item()).toBe(2.5);
  });
});

describe('variance', () => {
  it('is the population variance (ddof 0)', () => {
    expect(variance(tensor([1, 2, 3, 4])).item()).toBe(1.25);
    expect(values(variance(x, 2))).toEqual([f32(2 / 3), f32(2 / 3), f32(2 / 3), f32(2 / 3)]);
    expect(values(variance(x, 0))).toEqual(new Array(6).fill(9));
    expect(variance(x, [0, 1], true).shape).toEqual([1, 1, 3]);
  });
  it('is exact for large offsets (two-pass)', () => {
    expect(variance(tensor([1e6 + 1, 1e6 + 3])).item()).toBe(1);
  });
});

describe('argmax, argmin', () => {
  const m = tensor([
    [3, 1, 3],
    [0, 5, -2],
  ]);
  it('gives int32 indices along the last axis by default; ties pick the first', () => {
    const r = argmax(m);
    expect(r.dtype).toBe('int32');
    expect(values(r)).toEqual([0, 1]);
    expect(values(argmin(m))).toEqual([1, 2]);
  });
  it('reduces other axes and keeps dims', () => {
    expect(values(argmax(m, 0))).toEqual([0, 1, 0]);
    expect(values(argmin(m, -2))).toEqual([1, 0, 1]);
    expect(argmax(m, 1, true).shape).toEqual([2, 1]);
    expect(values(argmax(x, 1))).toEqual([1, 1, 1, 1, 1, 1]);
  });
  it('returns the first NaN', () => {
    expect(values(argmax(tensor([1, NaN, 5, NaN])))).toEqual([1]);
    expect(values(argmin(tensor([NaN, -1])))).toEqual([0]);
  });
});
