import { ShapeError, formatShape, reshape, sizeOf, type Tensor } from '@fbt/tensor';
import { Module } from '../module';

/** Flattens every dimension after the first: `[N, ...rest]` → `[N, ∏rest]`. */
export class Flatten extends Module {
  override forward(x: Tensor): Tensor {
    if (x.rank < 1)
      throw new ShapeError(`Flatten: input of shape ${formatShape(x.shape)}; expected rank >= 1 ([N, ...])`);
    return reshape(x, [x.shape[0]!, sizeOf(x.shape.slice(1))]);
  }
}
