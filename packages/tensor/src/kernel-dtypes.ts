import type { DType } from './dtype';
import { elementwiseOp } from './formula/op-table';

/**
 * The output dtype of an elementwise kernel, shared by every backend: the record's rule in
 * `ELEMENTWISE_OPS` (int32 when the inputs its `int32Inputs` lists are all int32, float32
 * otherwise); float32 for every kernel without one (`mapExpr`).
 */
export function elementwiseResultDType(kernelName: string, dtypes: readonly DType[]): DType {
  const keep = elementwiseOp(kernelName)?.int32Inputs;
  return keep !== undefined && keep.every((i) => dtypes[i] === 'int32') ? 'int32' : 'float32';
}

/** The output dtype of a reduction kernel: `sum`, `max` and `min` keep the input's dtype; `mean` and `variance` give float32. */
export function reductionResultDType(kernelName: string, dtype: DType): DType {
  return kernelName === 'mean' || kernelName === 'variance' ? 'float32' : dtype;
}
