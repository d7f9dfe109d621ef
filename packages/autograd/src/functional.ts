import { ArgumentError, fillInPlace, reshape, Tensor, zeros } from '@fbt/tensor';
import { computeLeafGradients } from './backward';
import { GradientError } from './errors';
import { installTape, noGrad } from './tape';

/** The value of a scalar function and its gradient with respect to each argument. */
export interface ValueAndGrads {
  /** `f(...inputs)`, cut from the graph. */
  readonly value: Tensor;
  /** One gradient per argument, each of that argument's shape (zeros where `f` does not depend on it). */
  readonly grads: Tensor[];
}

/**
 * A copy of `t` that does not require a gradient and is cut from the graph (its value only).
 *
 * @example
 * const target = detach(prediction); // stop gradients through the target
 */
export function detach(t: Tensor): Tensor {
  if (!(t instanceof Tensor)) throw new ArgumentError(`detach: got ${String(t)}; expected a Tensor`);
  t.assertLive('detach');
  return noGrad(() => reshape(t, t.shape));
}

/**
 * Zeroes the `.grad` of each tensor in place (tensors without one are left as they are), so the next
 * `backward` accumulates into the same storage without allocating.
 */
export function zeroGrad(params: Iterable<Tensor>): void {
  for (const p of params) {
    if (p.grad !== null && !p.grad.isDisposed) fillInPlace(p.grad, 0);
  }
}

function differentiate(fnName: string, f: (...args: Tensor[]) => Tensor, inputs: Tensor[]): ValueAndGrads {
  installTape();
  inputs.forEach((x, i) => {
    if (!(x instanceof Tensor) || x.dtype !== 'float32') {
      const got = x instanceof Tensor ? x.toString() : String(x);
      throw new ArgumentError(`${fnName}: argument ${i} is ${got}; expected a float32 Tensor`);
    }
  });
  const leaves = inputs.map((x) => {
    const leaf = detach(x);
    leaf.requiresGrad = true;
    return leaf;
  });
  const value = f(...leaves);
  if (!(value instanceof Tensor))
    throw new GradientError(`${fnName}: f returned ${String(value)}; expected a Tensor`);
  if (!value.requiresGrad) return { value, grads: leaves.map((l) => zeros(l.shape)) };
  const result = computeLeafGradients(value, {}, fnName);
  value.gradNode = null; // its graph is freed: hand back a plain tensor
  value.requiresGrad = false;
  const grads = leaves.map((leaf) => {
    const at = result.leaves.indexOf(leaf);
    return at >= 0 ? result.grads[at]! : zeros(leaf.shape);
  });
  result.grads.forEach((g) => {
    if (!grads.includes(g)) g.dispose();
  });
  leaves.forEach((l) => {
    if (l !== value) l.dispose();
  });
  return { value, grads };
}

/**
 * Turns a scalar function of tensors into the function computing its value and its gradient with
 * respect to every argument. `.grad` of other tensors is not touched.
 *
 * @example
 * const { value, grads } = valueAndGrad((x) => sum(square(x)))(tensor([1, 2]));
 * // value 5, grads[0] = [2, 4]
 */
export function valueAndGrad(f: (...args: Tensor[]) => Tensor): (...inputs: Tensor[]) => ValueAndGrads {
  if (typeof f !== 'function') throw new ArgumentError(`valueAndGrad: got ${typeof f}; expected a function`);
  return (...inputs) => differentiate('valueAndGrad', f, inputs);
}

/**
 * Turns a scalar function of tensors into the function computing its gradient with respect to every
 * argument.
 *
 * @example
 * const [dx] = grad((x) => sum(square(x)))(tensor([1, 2])); // [2, 4]
 */
export function grad(f: (...args: Tensor[]) => Tensor): (...inputs: Tensor[]) => Tensor[] {
  if (typeof f !== 'function') throw new ArgumentError(`grad: got ${typeof f}; expected a function`);
  return (...inputs) => {
    const { value, grads } = differentiate('grad', f, inputs);
    value.dispose();
    return grads;
  };
}
