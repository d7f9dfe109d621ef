import type { Backend, TensorInfo } from '../../backend/interface';
import { allocate, dtypeOf, type DType, type TypedArray } from '../../dtype';
import type { Shape } from '../../shape';

/** The values behind a kernel input (on the CPU backend: the backing array itself, read-only). */
export function valuesOf(backend: Backend, info: TensorInfo): TypedArray {
  return backend.readSync(info.dataId);
}

/** Hands freshly computed `values` to `backend` as a kernel output of the given shape. */
export function output(backend: Backend, values: TypedArray, shape: Shape): TensorInfo {
  const dtype = dtypeOf(values);
  return { dataId: backend.write(values, shape, dtype), shape: [...shape], dtype };
}

/** Allocates a zeroed output buffer of `size` elements. */
export function buffer(dtype: DType, size: number): TypedArray {
  return allocate(dtype, size);
}
