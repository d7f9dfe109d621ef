import {
  ArgumentError,
  ShapeError,
  add,
  checkOptions,
  formatShape,
  shapesEqual,
  type Tensor,
} from '@fbt/tensor';
import { Module } from '../module';

/** Options of `Residual`. */
export interface ResidualOptions {
  /** The name the wrapped module is registered under (default `'module'`). */
  readonly name?: string;
}

/**
 * A skip connection: `forward(x) = x + module(x)`, so the wrapped module must keep the shape. The
 * module is a registered child named `options.name` (default `'module'`): a wrapped `Linear` has
 * the state-dict names `module.weight` and `module.bias`, and inside a `Sequential` at position 2,
 * `2.module.weight`.
 *
 * @example
 * new Residual(new Sequential(new Linear(8, 8, { rng }), new Activation('relu')));
 */
export class Residual extends Module {
  /** The wrapped module. */
  readonly module: Module;

  constructor(module: Module, options: ResidualOptions = {}) {
    super();
    checkOptions(options, { name: true }, 'Residual');
    if (!(module instanceof Module)) throw new ArgumentError(`Residual: ${String(module)} is not a Module`);
    this.module = this.registerModule(options.name ?? 'module', module);
  }

  override forward(x: Tensor): Tensor {
    const y = this.module.call(x);
    if (!shapesEqual(y.shape, x.shape))
      throw new ShapeError(
        `Residual: the wrapped ${this.module.constructor.name} maps ${formatShape(x.shape)} to ${formatShape(y.shape)}; expected it to keep the shape`,
      );
    return add(x, y);
  }
}
