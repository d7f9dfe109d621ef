import type { DType } from './dtype';

/** Elementwise kernels that keep int32 when every (data) input is int32. */
const INT_PRESERVING = new Set([
  'add',
  'sub',
  'mul',
  'minimum',
  'maximum',
  'neg',
  'abs',
  'square',
  'clamp',
  'where',
]);

/**
 * The output dtype of an elementwise kernel, shared by every backend:
 * - `add sub mul minimum maximum neg abs square clamp where`: int32 when all data inputs are int32
 *   (for `where` the condition does not count), float32 otherwise;
 * - every other elementwise kernel (`div pow exp log sqrt tanh sigmoid relu sign step reciprocal`,
 *   the comparisons, `mapExpr`): float32.
 */
export function elementwiseResultDType(kernelName: string, dtypes: readonly DType[]): DType {
  if (!INT_PRESERVING.has(kernelName)) return 'float32';
  const data = kernelName === 'where' ? dtypes.slice(1) : dtypes;
  return data.every((d) => d === 'int32') ? 'int32' : 'float32';
}

/** The output dtype of a reduction kernel: `sum`, `max` and `min` keep the input's dtype; `mean` and `variance` give float32. */
export function reductionResultDType(kernelName: string, dtype: DType): DType {
  return kernelName === 'mean' || kernelName === 'variance' ? 'float32' : dtype;
}
