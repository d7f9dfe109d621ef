import { ArgumentError, ShapeError, Tensor, formatShape, reshape } from '@fbt/tensor';
import { Module } from '../module';

/**
 * Applies a stateless module to every time step of a sequence `[T, N, ...]` at once, by folding
 * time into the batch: the module sees `[T·N, ...]` (one matmul or one convolution for all T
 * steps) and its output `[T·N, ...out]` is unfolded to `[T, N, ...out]`. Use it for the Linear,
 * Conv2d, pooling and Flatten layers between spiking neurons, whose state (the membrane) lives in
 * `Leaky`, which takes the same `[T, N, ...]` layout. A module that mixes examples of a batch
 * (BatchNorm) then normalises over all T·N rows.
 *
 * The wrapped module is the child `module`, so its parameters are named `module.weight`,
 * `module.bias` (inside a `Sequential`: `0.module.weight`).
 *
 * @example
 * const net = new Sequential(
 *   new TimeDistributed(new Linear(784, 100, { rng })),
 *   new Leaky({ beta: 0.9 }),
 *   new TimeDistributed(new Linear(100, 10, { rng })),
 *   new Leaky({ beta: 0.9 }),
 * ); // [T, N, 784] → spikes [T, N, 10]
 */
export class TimeDistributed extends Module {
  /** The wrapped module. */
  readonly module: Module;

  constructor(module: Module) {
    super();
    if (!(module instanceof Module)) {
      throw new ArgumentError(`TimeDistributed: got ${String(module)}; expected a Module`);
    }
    this.module = this.registerModule('module', module);
  }

  override forward(x: Tensor): Tensor {
    if (!(x instanceof Tensor) || x.rank < 2) {
      throw new ShapeError(
        `TimeDistributed: input ${x instanceof Tensor ? `of shape ${formatShape(x.shape)}` : String(x)}; expected [T, N, ...]`,
      );
    }
    const [steps, batch, ...rest] = x.shape as [number, number, ...number[]];
    const y = this.module.call(reshape(x, [steps * batch, ...rest]));
    if (y.rank < 1 || y.shape[0] !== steps * batch) {
      throw new ShapeError(
        `TimeDistributed: the wrapped ${this.module.constructor.name} returned shape ${formatShape(y.shape)} for ${steps * batch} rows; expected [${steps * batch}, ...]`,
      );
    }
    return reshape(y, [steps, batch, ...y.shape.slice(1)]);
  }
}
