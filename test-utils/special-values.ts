/*
 * The special float32 inputs every backend must treat alike (packages/gpu/test/op-table.test.ts,
 * packages/surrogates/test/special-values.test.ts): NaN, ±0, ±∞, ±1e30 and the subnormals ±1e-40.
 * Each test adds its own ordinary points. Test-only: no package exports it.
 */

/** NaN, ±0, ±∞, ±1e30 and the float32 subnormals ±1e-40. */
export const SPECIAL_VALUES: readonly number[] = [
  NaN,
  0,
  -0,
  Infinity,
  -Infinity,
  1e30,
  -1e30,
  1e-40,
  -1e-40,
];

/** `SPECIAL_VALUES` then `ordinary`, rounded to float32. */
export function specialGrid(ordinary: readonly number[]): Float32Array {
  return Float32Array.from([...SPECIAL_VALUES, ...ordinary]);
}
