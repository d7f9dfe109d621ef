import { describe, expect, it } from 'vitest';
import { add, broadcastTo, greater, mul, sub, tensor, where } from '../src';
import { values } from './helpers';

describe('NumPy broadcasting', () => {
  it('adds [2,1,3] and [4,1] into [2,4,3]', () => {
    const a = tensor([[[1, 2, 3]], [[4, 5, 6]]]);
    const b = tensor([[10], [20], [30], [40]]);
    const r = add(a, b);
    expect(r.shape).toEqual([2, 4, 3]);
    expect(r.toArray()).toEqual([
      [
        [11, 12, 13],
        [21, 22, 23],
        [31, 32, 33],
        [41, 42, 43],
      ],
      [
        [14, 15, 16],
        [24, 25, 26],
        [34, 35, 36],
        [44, 45, 46],
      ],
    ]);
  });
  it('broadcasts a row and a column in both operand orders', () => {
    const row = tensor([1, 2, 3]);
    const col = tensor([[10], [20]]);
    expect(sub(col, row).toArray()).toEqual([
      [9, 8, 7],
      [19, 18, 17],
    ]);
    expect(sub(row, col).toArray()).toEqual([
      [-9, -8, -7],
      [-19, -18, -17],
    ]);
  });
  it('broadcasts a middle axis of size 1', () => {
    const a = tensor([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]);
    const b = tensor([1, 10, 100, 1000], [2, 1, 2]);
    expect(values(mul(a, b))).toEqual([1, 20, 3, 40, 500, 6000, 700, 8000]);
  });
  it('broadcasts a rank-0 tensor and an empty dimension', () => {
    expect(values(greater(tensor([1, 2, 3]), tensor(2)))).toEqual([0, 0, 1]);
    const e = add(tensor([], [0, 1]), tensor([1, 2, 3]));
    expect(e.shape).toEqual([0, 3]);
  });
  it('broadcastTo copies values into the target shape', () => {
    expect(broadcastTo(tensor([[1], [2]]), [2, 2, 3]).toArray()).toEqual([
      [
        [1, 1, 1],
        [2, 2, 2],
      ],
      [
        [1, 1, 1],
        [2, 2, 2],
      ],
    ]);
    expect(broadcastTo(tensor(new Int32Array([4]), []), [2]).dtype).toBe('int32');
  });
  it('broadcasts all three inputs of where', () => {
    const r = where(tensor([[1], [0]]), tensor([1, 2]), tensor([[5], [6]]));
    expect(r.toArray()).toEqual([
      [1, 2],
      [6, 6],
    ]);
  });
});
