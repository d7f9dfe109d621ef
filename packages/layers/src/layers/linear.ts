import { ShapeError, add, formatShape, matmul, type Rng, type Tensor } from '@fbt/tensor';
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
  get weight(): Tensor {
    return this.param('weight');
  }

  /** `[out]` bias, or null. */
  get bias(): Tensor | null {
    return this.optionalParam('bias');
  }

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: LinearOptions,
  ) {
    super();
    assertPositiveInt(inFeatures, 'inFeatures', 'Linear');
    assertPositiveInt(outFeatures, 'outFeatures', 'Linear');
    const init = options.weightInit ?? torchDefaultWeight;
    this.registerParameter('weight', init([outFeatures, inFeatures], options.rng));
    if (options.bias !== false)
      this.registerParameter('bias', torchDefaultBias(outFeatures, inFeatures, options.rng));
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
    const y = matmul(x, this.effectiveWeight(), { transposeB: true });
    const bias = this.bias;
    return bias === null ? y : add(y, bias);
  }
}
