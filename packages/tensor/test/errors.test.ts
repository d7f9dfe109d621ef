import { describe, expect, it } from 'vitest';
import {
  ArgumentError,
  AxisError,
  DTypeError,
  DisposedError,
  FbtError,
  ShapeError,
  add,
  addInPlace,
  argmax,
  assignInPlace,
  broadcastTo,
  cast,
  clamp,
  concat,
  expandDims,
  flatten,
  gather,
  max,
  mul,
  oneHot,
  reshape,
  scaleInPlace,
  slice,
  softmax,
  squeeze,
  stack,
  sum,
  sumTo,
  tensor,
  transpose,
  where,
  type Tensor,
} from '../src';

const m = tensor([
  [1, 2, 3],
  [4, 5, 6],
]);
const ints = (xs: number[]) => tensor(new Int32Array(xs));
const asTensor = (v: unknown): Tensor => v as Tensor;

describe('every error is an FbtError naming the op, what it got and what it expected', () => {
  it('binary shape mismatch', () => {
    expect(() => add(m, tensor([1, 2, 3, 4]))).toThrow(ShapeError);
    expect(() => add(m, tensor([1, 2, 3, 4]))).toThrow(
      'add: shapes [2, 3] and [4] do not broadcast (dimension 1: 3 vs 4); expected equal sizes or 1',
    );
    expect(() => where(tensor([1, 0]), m, 0)).toThrow('where: shapes [2], [2, 3], [] do not broadcast');
  });
  it('operands that are not tensors or numbers', () => {
    expect(() => mul(m, asTensor('2'))).toThrow(ArgumentError);
    expect(() => mul(m, asTensor('2'))).toThrow(
      'mul: operand b is a string (2); expected a Tensor or a number',
    );
    expect(() => add(asTensor([1, 2]), m)).toThrow(
      'add: operand a is an array; expected a Tensor or a number',
    );
    expect(() => softmax(asTensor(null))).toThrow('softmax: x is null; expected a Tensor');
  });
  it('bad axes', () => {
    expect(() => sum(m, 2)).toThrow(AxisError);
    expect(() => sum(m, 2)).toThrow(
      'sum: axis 2 is out of range for a tensor of rank 2; expected an integer in [-2, 2)',
    );
    expect(() => sum(m, [1, -1])).toThrow('sum: axis 1 is repeated');
    expect(() => argmax(m, 1.5)).toThrow(AxisError);
    expect(() => softmax(m, -3)).toThrow(AxisError);
    expect(() => concat([m, m], 2)).toThrow(AxisError);
    expect(() => flatten(tensor([1], [1, 1, 1]), 2, 1)).toThrow('flatten: startAxis 2 comes after endAxis 1');
    expect(() => transpose(m, [0, 0])).toThrow(AxisError);
    expect(() => transpose(m, [0])).toThrow(
      'transpose: perm [0] for a tensor of shape [2, 3]; expected a permutation of 0..1',
    );
    expect(() => expandDims(m, 3)).toThrow(AxisError);
  });
  it('reductions over nothing that need elements', () => {
    expect(() => max(tensor([], [0]))).toThrow(ArgumentError);
    expect(() => max(tensor([], [2, 0]), 1)).toThrow(
      'max: cannot reduce a tensor of shape [2, 0] over an empty axis',
    );
    expect(() => argmax(tensor([], [0]))).toThrow(/argmax: axis -1 of shape \[0\] is empty/);
    expect(() => argmax(tensor(1))).toThrow('argmax: got a scalar; expected a tensor of rank >= 1');
  });
  it('bad shapes for shape ops', () => {
    expect(() => reshape(m, [4, 2])).toThrow(ShapeError);
    expect(() => reshape(m, [4, 2])).toThrow(
      'reshape: cannot reshape a tensor of shape [2, 3] (6 elements) to [4, 2] (8 elements); expected the same number of elements',
    );
    expect(() => reshape(m, [-1, -1])).toThrow('reshape: shape [-1, -1] has more than one -1');
    expect(() => reshape(m, [-1, 4])).toThrow(ShapeError);
    expect(() => reshape(m, [2, 1.5])).toThrow(ArgumentError);
    expect(() => reshape(m, [-2, -3])).toThrow(ArgumentError);
    expect(() => broadcastTo(m, [3, 3])).toThrow(ShapeError);
    expect(() => broadcastTo(m, [3])).toThrow(ShapeError);
    expect(() => squeeze(m, 0)).toThrow('squeeze: axis 0 of shape [2, 3] has size 2; expected size 1');
    expect(() => sumTo(m, [2])).toThrow('sumTo: cannot sum shape [2, 3] down to [2]');
    expect(() => sumTo(m, [1, 1, 3])).toThrow(ShapeError);
  });
  it('bad slices', () => {
    expect(() => slice(m, [0], [1])).toThrow(
      'slice: begin [0] and size [1] for a tensor of shape [2, 3]; expected 2 entries each',
    );
    expect(() => slice(m, [1, 2], [1, 2])).toThrow(
      'slice: axis 1 of shape [2, 3]: begin 2, size 2; expected 0 <= begin and begin + size <= 3',
    );
    expect(() => slice(m, [-1, 0])).toThrow(ArgumentError);
    expect(() => slice(m, [0, 0], [1, -2])).toThrow(ArgumentError);
  });
  it('concat and stack mismatches', () => {
    expect(() => concat([])).toThrow('concat: got no tensors');
    expect(() => concat([m, tensor([1, 2, 3])])).toThrow(ShapeError);
    expect(() => concat([m, tensor([[1, 2]])])).toThrow(
      'concat: tensors[1] has shape [1, 2] and tensors[0] [2, 3]; expected equal sizes except on axis 0',
    );
    expect(() => concat([ints([1]), tensor([1])])).toThrow(DTypeError);
    expect(() => stack([tensor([1, 2]), tensor([1])])).toThrow(
      'stack: tensors[1] has shape [1] and tensors[0] [2]',
    );
    expect(() => stack([])).toThrow(ArgumentError);
  });
  it('gather and oneHot: dtype, range and depth', () => {
    expect(() => gather(m, tensor([0]))).toThrow('gather: indices are float32 of shape [1]; expected int32');
    expect(() => gather(m, ints([0, 2]))).toThrow(
      'gather: index 2 at position 1 is out of range for axis 0 of size 2; expected an integer in [0, 2)',
    );
    expect(() => gather(m, ints([-1]), 1)).toThrow(ArgumentError);
    expect(() => oneHot(tensor([1]), 3)).toThrow(DTypeError);
    expect(() => oneHot(ints([3]), 3)).toThrow(
      'oneHot: label 3 at position 0 is out of range for depth 3; expected an integer in [0, 3)',
    );
    expect(() => oneHot(ints([0]), 0)).toThrow('oneHot: depth 0; expected a positive integer');
  });
  it('bad numbers and dtypes', () => {
    expect(() => clamp(m, 2, 1)).toThrow('clamp: min 2 > max 1; expected min <= max');
    expect(() => clamp(m, NaN, 1)).toThrow(ArgumentError);
    expect(() => cast(m, 'float64' as 'float32')).toThrow(DTypeError);
    expect(() => scaleInPlace(tensor([1]), NaN)).toThrow(
      'scaleInPlace: factor is a number (NaN); expected a number',
    );
  });
  it('in-place ops never change the target shape', () => {
    expect(() => addInPlace(tensor([1, 2]), m)).toThrow(ShapeError);
    expect(() => assignInPlace(tensor([1]), tensor([1, 2]))).toThrow(
      "assignInPlace: shape [2] does not broadcast into the target's shape [1]",
    );
  });
  it('disposed tensors', () => {
    const t = tensor([1]);
    t.dispose();
    expect(() => add(t, 1)).toThrow(DisposedError);
  });
  it('all of these share the FbtError base', () => {
    for (const fn of [() => add(m, tensor([1, 2])), () => sum(m, 5), () => gather(m, tensor([0]))]) {
      expect(fn).toThrow(FbtError);
    }
  });
});
