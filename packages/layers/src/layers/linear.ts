import { ShapeError, checkOptions, formatShape, type Tensor } from '@fbt/tensor';
import { linear } from './linear-product';
import { WEIGHTED_LAYER_KEYS } from './option-keys';
import { WeightedLayer, type WeightedLayerOptions } from './weighted';
import { assertPositiveInt } from './checks';

/** Options of `Linear` (and `BinaryLinear`). */
export type LinearOptions = WeightedLayerOptions;

/**
 * A fully connected layer, y = x·Wᵀ + b, with PyTorch's layout (`weight` is `[out, in]`) and
 * initialisation (weight and bias U(±1/√in)). Input `[N, in]`, output `[N, out]`.
 */
export class Linear extends WeightedLayer {
  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: LinearOptions,
  ) {
    super();
    checkOptions(options, WEIGHTED_LAYER_KEYS, new.target.name);
    assertPositiveInt(inFeatures, 'inFeatures', 'Linear');
    assertPositiveInt(outFeatures, 'outFeatures', 'Linear');
    this.registerWeightAndBias([outFeatures, inFeatures], options);
  }

  override forward(x: Tensor): Tensor {
    if (x.rank !== 2 || x.shape[1] !== this.inFeatures) {
      throw new ShapeError(
        `${this.constructor.name}: input of shape ${formatShape(x.shape)}; expected [N, ${this.inFeatures}]`,
      );
    }
    return this.product(x, this.effectiveWeight(), this.bias);
  }

  /**
   * x·wᵀ + bias for the effective weight `w` (the bias inside the product's kernel; the bit path in
   * `BinaryLinear` with `binaryInput`).
   */
  protected product(x: Tensor, w: Tensor, bias: Tensor | null): Tensor {
    return linear(x, w, bias);
  }
}
