import { shapesEqual, sumTo, type Tensor } from '@fbt/tensor';

/**
 * An input's gradient `g` summed over the axes it was broadcast along, down to `shape`; `g` itself
 * when it has that shape already (no copy: the weight gradient of every `Linear` and `Conv2d` step).
 */
export const unbroadcast = (g: Tensor, shape: readonly number[]): Tensor =>
  shapesEqual(g.shape, shape) ? g : sumTo(g, shape);
