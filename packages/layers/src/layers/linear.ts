import { ShapeError, add, formatShape, matMul, type Rng, type Tensor } from '@fbt/tensor';
import { Module } from '../module';
import { torchDefaultBias, torchDefaultWeight, type Initializer } from '../init';
import { assertPositiveInt } from './checks';

/** Options of `Linear` (and `BinaryLinear`). */
export interface LinearOptions {
  /** Learn an additive bias (default true). */
  readonly bias?: boolean;
  /** Generator for the initial weights and bias. */
  readonly rng: Rng;
  /** Weight initialiser (default PyTorch's: U(±1/√in)). */
  readonly weightInit?: Initializer;
}

/**
 * A fully connected layer, y = x·Wᵀ + b, with PyTorch's layout (`weight` is `[out, in]`) and
 * initialisation (weight and bias U(±1/√in)). Input `[N, in]`, output `[N, out]`.
 */
export class Linear extends Module {
  /** `[out, in]` weight. */
  readonly weight: Tensor;
  /** `[out]` bias, or null. */
  readonly bias: Tensor | null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: LinearOptions,
  ) {
    super();
    assertPositiveInt(inFeatures, 'inFeatures', 'Linear');
    assertPositiveInt(outFeatures, 'outFeatures', 'Linear');
    const init = options.weightInit ?? torchDefaultWeight;
    this.weight = this.registerParameter('weight', init([outFeatures, inFeatures], options.rng));
    this.bias =
      options.bias === false
        ? null
        : this.registerParameter('bias', torchDefaultBias(outFeatures, inFeatures, options.rng));
  }

  /** The weight used in the forward pass (the latent weight itself here; binarised in `BinaryLinear`). */
  effectiveWeight(): Tensor {
    return this.weight;
  }

  override forward(x: Tensor): Tensor {
    if (x.rank !== 2 || x.shape[1] !== this.inFeatures) {
      throw new ShapeError(
        `${this.constructor.name}: input of shape ${formatShape(x.shape)}; expected [N, ${this.inFeatures}]`,
      );
    }
    const y = matMul(x, this.effectiveWeight(), false, true);
    return this.bias === null ? y : add(y, this.bias);
  }
}
