import { describe, expect, it } from 'vitest';
import {
  arange,
  concat,
  expandDims,
  flatten,
  gather,
  oneHot,
  permute,
  reshape,
  slice,
  squeeze,
  stack,
  sumTo,
  tensor,
  transpose,
} from '../src';
import { values } from './helpers';

const m = tensor([
  [1, 2, 3],
  [4, 5, 6],
]);
const ints = (xs: number[], shape?: number[]) => tensor(new Int32Array(xs), shape);

describe('reshape, flatten, squeeze, expandDims', () => {
  it('reshapes with one inferred -1 and copies', () => {
    const r = reshape(arange(6), [3, -1]);
    expect(r.shape).toEqual([3, 2]);
    expect(values(r)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(reshape(tensor([7]), []).shape).toEqual([]);
    expect(reshape(tensor([], [0, 4]), [-1, 2]).shape).toEqual([0, 2]);
  });
  it('flattens a range of axes', () => {
    const t = arange(24, undefined, 1).dataSync();
    const x = tensor(t, [2, 3, 4]);
    expect(flatten(x).shape).toEqual([24]);
    expect(flatten(x, 1).shape).toEqual([2, 12]);
    expect(flatten(x, 0, 1).shape).toEqual([6, 4]);
    expect(flatten(x, -2, -1).shape).toEqual([2, 12]);
    expect(flatten(tensor(5)).shape).toEqual([1]);
  });
  it('squeezes size-1 axes and expands new ones', () => {
    const x = tensor([1, 2], [1, 2, 1]);
    expect(squeeze(x).shape).toEqual([2]);
    expect(squeeze(x, -1).shape).toEqual([1, 2]);
    expect(expandDims(m, 1).shape).toEqual([2, 1, 3]);
    expect(expandDims(m, -1).shape).toEqual([2, 3, 1]);
    expect(expandDims(m).shape).toEqual([1, 2, 3]);
  });
});

describe('transpose, permute', () => {
  it('reverses axes by default', () => {
    expect(transpose(m).toArray()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
  });
  it('permutes rank 3 (and negative axes)', () => {
    const x = tensor(
      Array.from({ length: 24 }, (_, i) => i),
      [2, 3, 4],
    );
    const p = permute(x, [2, 0, -2]);
    expect(p.shape).toEqual([4, 2, 3]);
    // p[k][i][j] = x[i][j][k] = 12 i + 4 j + k
    expect(values(p).slice(0, 7)).toEqual([0, 4, 8, 12, 16, 20, 1]);
    expect(values(transpose(p, [1, 2, 0]))).toEqual(values(x));
  });
  it('keeps int32 and scalars', () => {
    expect(transpose(ints([1, 2, 3, 4], [2, 2])).dtype).toBe('int32');
    expect(transpose(tensor(3)).item()).toBe(3);
  });
});

describe('slice', () => {
  it('takes a box, with -1 sizes to the end', () => {
    expect(slice(m, [0, 1], [2, 2]).toArray()).toEqual([
      [2, 3],
      [5, 6],
    ]);
    expect(slice(m, [1, 0], [-1, 2]).toArray()).toEqual([[4, 5]]);
    expect(slice(m, [0, 2]).toArray()).toEqual([[3], [6]]);
    expect(slice(m, [2, 0], [0, 3]).shape).toEqual([0, 3]);
  });
});

describe('concat, stack', () => {
  it('concatenates along any axis', () => {
    expect(concat([m, tensor([[7, 8, 9]])]).toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]);
    expect(concat([m, tensor([[0], [-1]])], -1).toArray()).toEqual([
      [1, 2, 3, 0],
      [4, 5, 6, -1],
    ]);
    expect(concat([tensor([], [0, 3]), m]).shape).toEqual([2, 3]);
  });
  it('stacks along a new axis', () => {
    const a = tensor([1, 2]);
    const b = tensor([3, 4]);
    expect(stack([a, b]).toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(stack([a, b], 1).toArray()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(stack([a, b], -1).shape).toEqual([2, 2]);
  });
});

describe('gather, oneHot', () => {
  it('selects rows with int32 indices (axis 0), repeating allowed', () => {
    const rows = gather(m, ints([1, 1, 0]));
    expect(rows.toArray()).toEqual([
      [4, 5, 6],
      [4, 5, 6],
      [1, 2, 3],
    ]);
  });
  it('selects long rows (block copy path) exactly', () => {
    const wide = tensor(
      Array.from({ length: 300 }, (_, i) => i),
      [3, 100],
    );
    expect(values(gather(wide, ints([2]))).slice(0, 3)).toEqual([200, 201, 202]);
  });
  it('gathers along another axis, replacing it by the indices shape', () => {
    const r = gather(m, ints([2, 0, 2, 1], [2, 2]), 1);
    expect(r.shape).toEqual([2, 2, 2]);
    expect(values(r)).toEqual([3, 1, 3, 2, 6, 4, 6, 5]);
  });
  it('one-hot encodes int32 labels', () => {
    const r = oneHot(ints([2, 0]), 3);
    expect(r.dtype).toBe('float32');
    expect(r.toArray()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
    ]);
    expect(oneHot(ints([1, 0], [1, 2]), 2).shape).toEqual([1, 2, 2]);
  });
});

describe('sumTo', () => {
  it('sums broadcast axes back to a shape', () => {
    const x = tensor(
      Array.from({ length: 24 }, (_, i) => i),
      [2, 3, 4],
    );
    expect(sumTo(x, [4]).toArray()).toEqual([60, 66, 72, 78]);
    // row j of both batches: (16 j + 6) + (16 j + 54)
    expect(sumTo(x, [3, 1]).toArray()).toEqual([[60], [92], [124]]);
    expect(sumTo(x, [2, 1, 1]).toArray()).toEqual([[[66]], [[210]]]);
    expect(sumTo(x, []).item()).toBe(276);
    expect(values(sumTo(x, [2, 3, 4]))).toEqual(values(x));
  });
});
