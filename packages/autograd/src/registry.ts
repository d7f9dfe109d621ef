import type { KernelAttrs, Tensor } from '@fbt/tensor';
import { ArgumentError } from '@fbt/tensor';
import { shared } from './state';
import { installTape } from './tape';

/**
 * The gradient of a kernel, tfjs style: given the gradient `dy` of the kernel's (first) output and
 * the recorded call (its inputs, attrs and outputs), returns one gradient per input, each of that
 * input's shape, or `null` for an input that gets none (an index tensor, a condition).
 */
export type GradientFn<A = KernelAttrs> = (
  dy: Tensor,
  inputs: readonly Tensor[],
  attrs: A,
  outputs: readonly Tensor[],
) => readonly (Tensor | null)[];

interface GradientRegistry {
  readonly gradients: Map<string, GradientFn>;
  readonly nonDifferentiable: Set<string>;
}

let cached: GradientRegistry | null = null;

/** The registry (resolved once, then cached: the observer reads it on every kernel call). */
function registry(): GradientRegistry {
  cached ??= shared('gradients', () => ({ gradients: new Map(), nonDifferentiable: new Set() }));
  return cached;
}

function assertKernelName(kernelName: string, op: string): void {
  if (typeof kernelName !== 'string' || kernelName.length === 0) {
    throw new ArgumentError(`${op}: kernel name ${String(kernelName)}; expected a non-empty string`);
  }
}

/**
 * Registers (or replaces) the gradient of the kernel `kernelName`. Every backend's kernel of that
 * name shares it, since gradients are written in terms of other kernels.
 *
 * @example
 * registerGradient('neg', (dy) => [neg(dy)]);
 */
export function registerGradient<A = KernelAttrs>(kernelName: string, fn: GradientFn<A>): void {
  assertKernelName(kernelName, 'registerGradient');
  installTape(); // the built-ins first, so they never overwrite this registration
  if (typeof fn !== 'function') {
    throw new ArgumentError(`registerGradient('${kernelName}'): got ${typeof fn}; expected a function`);
  }
  const { gradients, nonDifferentiable } = registry();
  nonDifferentiable.delete(kernelName);
  gradients.set(kernelName, fn as GradientFn);
}

/**
 * Declares a kernel non-differentiable (a comparison, `sign`, `step`, `argmax`, `oneHot`…): its
 * outputs are not recorded, so no gradient flows through it (the gradient is zero almost everywhere).
 */
export function registerNonDifferentiable(kernelName: string): void {
  assertKernelName(kernelName, 'registerNonDifferentiable');
  installTape();
  const { gradients, nonDifferentiable } = registry();
  gradients.delete(kernelName);
  nonDifferentiable.add(kernelName);
}

/** The gradient registered for `kernelName`, or undefined. */
export function getGradient(kernelName: string): GradientFn | undefined {
  return registry().gradients.get(kernelName);
}

/** True when `kernelName` was declared non-differentiable. */
export function isNonDifferentiable(kernelName: string): boolean {
  return registry().nonDifferentiable.has(kernelName);
}
