import { backward } from '@fbt/autograd';
import { Rng, tensor, tidy } from '@fbt/tensor';
import type { ActivationFn } from '../src';

/** Runs `act` on `zs` and returns its output values. */
export function forwardValues(act: ActivationFn, zs: readonly number[]): number[] {
  return tidy(() => Array.from(act(tensor([...zs])).dataSync()));
}

/** The gradient reaching z when `g` (default all ones) flows back through `act` at `zs`. */
export function gradValues(
  act: ActivationFn,
  zs: readonly number[],
  g?: readonly number[],
  rng?: Rng,
): number[] {
  return tidy(() => {
    const z = tensor([...zs]);
    z.requiresGrad = true;
    backward(act(z), { grad: tensor(g ? [...g] : zs.map(() => 1)), ...(rng ? { rng } : {}) });
    return Array.from(z.grad!.dataSync());
  });
}

/** float32 kernels against float64 hand values: absolute 2e-6 plus relative 2e-6. */
export function expectClose(actual: readonly number[], expected: readonly number[], label: string): void {
  if (actual.length !== expected.length)
    throw new Error(`${label}: got ${actual.length} values, expected ${expected.length}`);
  actual.forEach((a, i) => {
    const e = expected[i]!;
    if (!(Math.abs(a - e) <= 2e-6 + 2e-6 * Math.abs(e))) {
      throw new Error(`${label}[${i}]: got ${a}, expected ${e}`);
    }
  });
}
