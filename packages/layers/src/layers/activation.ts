import type { Tensor } from '@fbt/tensor';
import {
  activation,
  type ActivationFn,
  type ActivationOptions,
  type ActivationParams,
  type ForwardLike,
  type RuleLike,
} from '@fbt/surrogates';
import { Module } from '../module';

/**
 * A decoupled activation as a layer: φ in the forward, the backward rule in backprop (default
 * `tied`, ordinary backprop). Wraps @fbt/surrogates' `activation(forward, backward, params)`;
 * `options.name` (default: the forward's name) is what `withRule` selectors match.
 *
 * @example
 * new Activation('heaviside', 'rectangular', { a: -1, b: 1 }, { name: 'hidden1' });
 */
export class Activation extends Module {
  /** The wrapped surrogate activation function. */
  readonly fn: ActivationFn;

  constructor(
    forward: ForwardLike,
    backward?: RuleLike,
    params?: ActivationParams,
    options: ActivationOptions = {},
  ) {
    super();
    this.fn = activation(forward, backward, params, options);
  }

  /** The name `withRule` selectors see. */
  get name(): string {
    return this.fn.name;
  }

  override forward(x: Tensor): Tensor {
    return this.fn(x);
  }
}
