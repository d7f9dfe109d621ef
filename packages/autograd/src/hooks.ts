import { ArgumentError, formatShape, shapesEqual, type Tensor } from '@fbt/tensor';
import { GradientError } from './errors';

/** Transforms the gradient arriving at a tensor; returns a tensor of the same shape (or its argument). */
export type GradHook = (grad: Tensor) => Tensor;

const hooks = new WeakMap<Tensor, GradHook[]>();

/**
 * Registers `fn` to transform the gradient as it arrives at `t` during `backward`: for a leaf, before
 * it is accumulated into `t.grad`; for an intermediate tensor, before it propagates further. Hooks
 * run in registration order on the total gradient of `t`. Returns a function that removes the hook.
 *
 * @example
 * const remove = registerHook(w, (g) => clamp(g, -1, 1)); // gradient clipping for one parameter
 */
export function registerHook(t: Tensor, fn: GradHook): () => void {
  if (typeof fn !== 'function')
    throw new ArgumentError(`registerHook: got ${typeof fn}; expected a function`);
  if (!t.requiresGrad) {
    throw new GradientError(
      `registerHook: ${t.toString()} does not require a gradient; set requiresGrad = true (or use a tensor computed from one)`,
    );
  }
  const list = hooks.get(t) ?? [];
  list.push(fn);
  hooks.set(t, list);
  return () => {
    const at = list.indexOf(fn);
    if (at >= 0) list.splice(at, 1);
  };
}

/** Applies the hooks of `t` to the gradient `grad`, checking that each keeps the shape. */
export function applyHooks(t: Tensor, grad: Tensor): Tensor {
  const list = hooks.get(t);
  if (list === undefined) return grad;
  let g = grad;
  for (const fn of list) {
    const next = fn(g);
    if (next === null || typeof next !== 'object' || !shapesEqual(next.shape, t.shape)) {
      const got = next !== null && typeof next === 'object' ? formatShape(next.shape) : String(next);
      throw new GradientError(
        `registerHook: a hook on ${t.toString()} returned ${got}; expected a tensor of shape ${formatShape(t.shape)}`,
      );
    }
    g = next;
  }
  return g;
}
