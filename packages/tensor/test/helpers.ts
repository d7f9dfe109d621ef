import type { Tensor } from '../src';

/** The elements of a tensor as a plain array. */
export const values = (t: Tensor): number[] => Array.from(t.dataSync());

/** `x` rounded to float32, for expected values of float32 results. */
export const f32 = (x: number): number => Math.fround(x);
