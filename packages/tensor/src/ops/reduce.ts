import { ArgumentError } from '../errors';
import { formatShape, normalizeAxes, normalizeAxis } from '../shape';
import type { Tensor } from '../tensor';
import { expectTensor, runOne } from './operands';

/** Which axes a reduction folds: one axis, a list of axes (negative counts from the end), or all (`undefined`). */
export type Axes = number | readonly number[] | undefined;

/** A reduction over `axis` (default: all axes); `keepDims` keeps the reduced axes as size 1. */
export type ReduceOp = (x: Tensor, axis?: Axes, keepDims?: boolean) => Tensor;

function reduction(kernelName: string, needsElements: boolean): ReduceOp {
  return (x, axis, keepDims = false) => {
    const t = expectTensor(x, kernelName, 'x');
    const axes = normalizeAxes(axis, t.rank, kernelName);
    if (needsElements && axes.some((a) => t.shape[a] === 0)) {
      throw new ArgumentError(
        `${kernelName}: cannot reduce a tensor of shape ${formatShape(t.shape)} over an empty axis; expected every reduced axis to have at least one element`,
      );
    }
    return runOne(kernelName, [t], { axes, keepDims });
  };
}

/** Sum over `axis` (all by default), accumulated in float64. int32 stays int32; an empty sum is 0. */
export const sum: ReduceOp = reduction('sum', false);
/** Mean over `axis` (all by default), float32; the mean of nothing is NaN. */
export const mean: ReduceOp = reduction('mean', false);
/** Largest element over `axis` (NaN if any is NaN); keeps the dtype. Throws on an empty axis. */
export const max: ReduceOp = reduction('max', true);
/** Smallest element over `axis` (NaN if any is NaN); keeps the dtype. Throws on an empty axis. */
export const min: ReduceOp = reduction('min', true);
/** Population variance (ddof 0) over `axis`, two-pass in float64, float32 result. */
export const variance: ReduceOp = reduction('variance', false);

function argReduction(kernelName: string): (x: Tensor, axis?: number, keepDims?: boolean) => Tensor {
  return (x, axis = -1, keepDims = false) => {
    const t = expectTensor(x, kernelName, 'x');
    if (t.rank === 0) throw new ArgumentError(`${kernelName}: got a scalar; expected a tensor of rank >= 1`);
    const a = normalizeAxis(axis, t.rank, kernelName);
    if (t.shape[a] === 0) {
      throw new ArgumentError(
        `${kernelName}: axis ${axis} of shape ${formatShape(t.shape)} is empty; expected at least one element`,
      );
    }
    return runOne(kernelName, [t], { axis: a, keepDims });
  };
}

/** int32 index of the largest element along `axis` (default −1, the last); ties and NaN: the first wins. */
export const argmax: (x: Tensor, axis?: number, keepDims?: boolean) => Tensor = argReduction('argmax');
/** int32 index of the smallest element along `axis` (default −1, the last); ties and NaN: the first wins. */
export const argmin: (x: Tensor, axis?: number, keepDims?: boolean) => Tensor = argReduction('argmin');
