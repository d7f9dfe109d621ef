import { ShapeError, allocate, tensor, type Tensor, type TypedArray } from '@fbt/tensor';

/** Number of elements in one row (sample) of a tensor: the product of all but the first dimension. */
export function rowSize(t: Tensor): number {
  let size = 1;
  for (let d = 1; d < t.shape.length; d++) size *= t.shape[d]!;
  return size;
}

/** Throws a `ShapeError` naming `op` unless `x` and `y` have at least one dimension and as many rows. */
export function assertSameRows(x: Tensor, y: Tensor, op: string): void {
  if (x.rank === 0 || y.rank === 0 || x.shape[0] !== y.shape[0]) {
    throw new ShapeError(
      `${op}: x of shape [${x.shape.join(', ')}] and y of shape [${y.shape.join(', ')}]; expected the same number of rows (first dimension)`,
    );
  }
}

/**
 * Rows at least this long are copied with `TypedArray.set` (a memory copy); shorter ones, such as
 * labels, element by element, where a view per row would cost more than the copy.
 */
export const BULK_ROW_SIZE = 16;

/**
 * Copies rows `order[start .. start+count)` of `source` (rows of `size` elements) into `out`,
 * contiguously: rows of `BULK_ROW_SIZE` elements or more with one `set` of a subarray each (twice
 * as fast as an element loop on MNIST's 784-pixel rows), shorter rows in a plain index loop.
 */
export function copyRows(
  source: TypedArray,
  size: number,
  order: Int32Array,
  start: number,
  count: number,
  out: TypedArray,
): void {
  if (size >= BULK_ROW_SIZE) {
    for (let r = 0; r < count; r++) {
      const from = order[start + r]! * size;
      out.set(source.subarray(from, from + size), r * size);
    }
    return;
  }
  let o = 0;
  for (let r = 0; r < count; r++) {
    const from = order[start + r]! * size;
    for (let k = 0; k < size; k++) out[o++] = source[from + k]!;
  }
}

/** A new tensor holding rows `order[start .. start+count)` of `t`, in that order. */
export function gatherRows(t: Tensor, order: Int32Array, start: number, count: number): Tensor {
  const size = rowSize(t);
  const out = allocate(t.dtype, count * size);
  copyRows(t.dataSync(), size, order, start, count, out);
  return tensor(out, [count, ...t.shape.slice(1)]);
}
