import { expect } from 'vitest';
import { Rng, tensor, type Shape, type Tensor } from '@fbt/tensor';
import { gradCheck, type GradCheckOptions } from '../src';

/** Tolerances used by every gradient check unless a test states others. */
export const TOLERANCES: GradCheckOptions = { eps: 1e-3, atol: 1e-3, rtol: 1e-2 };

/**
 * Seeded values in ±[low, high]: bounded away from 0 (the kink of relu/abs/sign) and with distinct
 * magnitudes, so finite differences never straddle a kink or a tie.
 */
export function values(shape: Shape, seed: number, low = 0.2, high = 1.5): Tensor {
  const rng = new Rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = (low + (high - low) * rng.uniform()) * (rng.uniform() < 0.5 ? -1 : 1);
  return tensor(data, shape);
}

/** Seeded positive values in [low, high]. */
export function positive(shape: Shape, seed: number, low = 0.5, high = 2): Tensor {
  const rng = new Rng(seed);
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) data[i] = low + (high - low) * rng.uniform();
  return tensor(data, shape);
}

/** Asserts that autograd agrees with central differences for `fn` at `inputs`. */
export function expectGradOk(
  fn: (...args: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options: GradCheckOptions = TOLERANCES,
): void {
  const result = gradCheck(fn, inputs, options);
  expect(result.ok, `worst: ${JSON.stringify(result.worst)}, maxAbs ${result.maxAbsError}`).toBe(true);
}

/** The elements of a tensor as a plain array. */
export const arr = (t: Tensor | null): number[] => Array.from(t!.dataSync());
