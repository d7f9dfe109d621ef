import { broadcastTo, div, equal, mean, mul, reshape, sizeOf, sub, sum, type Tensor } from '@fbt/tensor';
import { registerGradient } from '../registry';

/** Attrs of the reductions. */
interface ReduceAttrs {
  readonly axes: readonly number[];
  readonly keepDims: boolean;
}

/** `t` (a reduction's output or its gradient) reshaped so the reduced axes of `x` are size 1. */
const kept = (t: Tensor, x: Tensor, axes: readonly number[]): Tensor =>
  reshape(
    t,
    x.shape.map((d, i) => (axes.includes(i) ? 1 : d)),
  );

/** Number of elements each output element of the reduction summarises. */
const countOf = (x: Tensor, axes: readonly number[]): number => sizeOf(axes.map((a) => x.shape[a]!));

/**
 * The gradient of `max`/`min`: `dy` is split equally among the elements equal to the extreme (all
 * the maxima share it, so the input gradients sum to `dy`).
 */
function extremeGradient(dy: Tensor, x: Tensor, y: Tensor, axes: readonly number[]): Tensor {
  const hits = equal(x, kept(y, x, axes));
  return mul(div(hits, sum(hits, axes, true)), kept(dy, x, axes));
}

/** Registers the gradients of the reductions. */
export function registerReduceGradients(): void {
  registerGradient<ReduceAttrs>('sum', (dy, [x], { axes }) => [broadcastTo(kept(dy, x!, axes), x!.shape)]);
  registerGradient<ReduceAttrs>('mean', (dy, [x], { axes }) => [
    broadcastTo(div(kept(dy, x!, axes), countOf(x!, axes)), x!.shape),
  ]);
  registerGradient<ReduceAttrs>('max', (dy, [x], { axes }, [y]) => [extremeGradient(dy, x!, y!, axes)]);
  registerGradient<ReduceAttrs>('min', (dy, [x], { axes }, [y]) => [extremeGradient(dy, x!, y!, axes)]);
  // var = mean((x − m)²) ⇒ ∂var/∂x = 2(x − m)/n (the mean's own dependence cancels).
  registerGradient<ReduceAttrs>('variance', (dy, [x], { axes }) => [
    mul(mul(sub(x!, mean(x!, axes, true)), 2 / countOf(x!, axes)), kept(dy, x!, axes)),
  ]);
}
