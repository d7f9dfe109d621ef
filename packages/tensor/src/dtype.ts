/** Element types: `float32` for data, `int32` for labels and indices. */
export type DType = 'float32' | 'int32';

/** The typed array that holds a dtype's elements. */
export type TypedArray = Float32Array | Int32Array;

/** Allocates a zero-filled typed array of `size` elements for `dtype`. */
export function allocate(dtype: DType, size: number): TypedArray {
  return dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
}

/** The dtype of a typed array. */
export function dtypeOf(values: TypedArray): DType {
  return values instanceof Int32Array ? 'int32' : 'float32';
}
