import { expect } from 'vitest';
import type { Rng, Tensor } from '../src';

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
