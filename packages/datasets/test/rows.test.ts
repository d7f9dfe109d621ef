import { describe, expect, it } from 'vitest';
import { BULK_ROW_SIZE, copyRows } from '../src/rows';

/** The rows `order[start .. start+count)` of `source`, one element at a time. */
function expected(
  source: Float32Array | Int32Array,
  size: number,
  order: Int32Array,
  start: number,
  count: number,
): number[] {
  const out: number[] = [];
  for (let r = start; r < start + count; r++)
    for (let k = 0; k < size; k++) out.push(source[order[r]! * size + k]!);
  return out;
}

describe('copyRows', () => {
  const order = Int32Array.from([4, 0, 3, 1, 2]);

  it.each([1, BULK_ROW_SIZE - 1, BULK_ROW_SIZE, 784])(
    'copies the selected rows of %i elements in order',
    (size) => {
      const source = Float32Array.from({ length: 5 * size }, (_, i) => i * 0.5);
      const out = new Float32Array(3 * size);
      copyRows(source, size, order, 1, 3, out);
      expect([...out]).toEqual(expected(source, size, order, 1, 3));
    },
  );

  it('copies int32 rows (labels, one-hot rows) exactly', () => {
    for (const size of [1, BULK_ROW_SIZE]) {
      const source = Int32Array.from({ length: 5 * size }, (_, i) => (i * 7919) | 0);
      const out = new Int32Array(5 * size);
      copyRows(source, size, order, 0, 5, out);
      expect([...out]).toEqual(expected(source, size, order, 0, 5));
    }
  });
});
