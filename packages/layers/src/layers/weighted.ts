import type { Rng, Shape, Tensor } from '@fbt/tensor';
import { Module } from '../module';
import { fans, torchDefaultBias, torchDefaultWeight, type Initializer } from '../init';

/** Options of a layer with a weight and an optional bias (`Linear`, `Conv2d` and their binary forms). */
export interface WeightedLayerOptions {
  /** Learn an additive bias, one per output (default true). */
  readonly bias?: boolean;
  /** Generator for the initial weights and bias. */
  readonly rng: Rng;
  /** Weight initialiser (default PyTorch's: U(±1/√fanIn), fanIn = in·∏kernel). */
  readonly weightInit?: Initializer;
}

/**
 * A module with a `[out, in, ...kernel]` weight and an optional `[out]` bias, initialised as PyTorch
 * does: the base of `Linear` and `Conv2d`.
 */
export abstract class WeightedLayer extends Module {
  /** `[out, in, ...kernel]` weight. */
  get weight(): Tensor {
    return this.param('weight');
  }

  /** `[out]` bias, or null. */
  get bias(): Tensor | null {
    return this.optionalParam('bias');
  }

  /** The weight used in the forward pass: the weight itself here; binarised in `BinaryLinear` and `BinaryConv2d`. */
  effectiveWeight(): Tensor {
    return this.weight;
  }

  /**
   * Registers `weight` of `shape`, drawn by `options.weightInit` (default `torchDefaultWeight`), then,
   * unless `options.bias` is false, the bias `torchDefaultBias(out, fanIn)`; both from `options.rng`.
   */
  protected registerWeightAndBias(shape: Shape, options: WeightedLayerOptions): void {
    const init = options.weightInit ?? torchDefaultWeight;
    this.registerParameter('weight', init(shape, options.rng));
    if (options.bias !== false)
      this.registerParameter('bias', torchDefaultBias(shape[0]!, fans(shape).fanIn, options.rng));
  }
}
