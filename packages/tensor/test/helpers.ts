import { expect } from 'vitest';
import { DTypeError, ShapeError, tensor, type Rng, type Tensor } from '../src';

/** The elements of a tensor as a plain array. */
export const values = (t: Tensor): number[] => Array.from(t.dataSync());

/** `x` rounded to float32, for expected values of float32 results. */
export const f32 = (x: number): number => Math.fround(x);

/** `size` random float32 values in [-1, 1), drawn from `rng`. */
export function uniformValues(rng: Rng, size: number): Float32Array {
  return rng.fillUniform(new Float32Array(size), -1, 1);
}

/**
 * Worst error relative to the reference's largest magnitude (a scale-aware float32 check); first
 * expects the two lengths to be equal.
 */
export function worstError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let scale = 1e-30;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!));
  let worst = 0;
  for (let i = 0; i < expected.length; i++)
    worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!) / scale);
  return worst;
}

/**
 * Checks that `run` (an op given `bias`) refuses a bias of four values in the wrong shape, dtype or
 * kind with one line naming `op`, the expected `[4]` and `what` one bias value is for.
 */
export function expectBiasRejected(op: string, what: string, run: (bias: Tensor) => Tensor): void {
  const line = (text: string): RegExp => new RegExp(`^${text.replace(/[[\]().*+?^$|{}\\]/g, '\\$&')}$`);
  expect(() => run(tensor(new Float32Array(3), [3]))).toThrow(
    line(`${op}: bias of shape [3]; expected [4] (one per ${what})`),
  );
  expect(() => run(tensor(new Float32Array(4), [1, 4]))).toThrow(ShapeError);
  expect(() => run(tensor(new Int32Array(4), [4], 'int32'))).toThrow(DTypeError);
  expect(() => run([1, 2, 3, 4] as unknown as Tensor)).toThrow(
    line(`${op}: bias is 1,2,3,4; expected a float32 Tensor of shape [4]`),
  );
}
