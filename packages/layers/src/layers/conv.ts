import { ShapeError, add, conv2d, formatShape, reshape, type Rng, type Tensor } from '@fbt/tensor';
import { Module } from '../module';
import { torchDefaultBias, torchDefaultWeight, type Initializer } from '../init';
import { assertPositiveInt, pair, type Size2 } from './checks';

/** Options of `Conv2d` (and `BinaryConv2d`). */
export interface Conv2dLayerOptions {
  /** Stride (default 1). */
  readonly stride?: Size2;
  /** Zero padding on each side (default 0). */
  readonly padding?: Size2;
  /** Learn an additive per-channel bias (default true). */
  readonly bias?: boolean;
  /** Generator for the initial weights and bias. */
  readonly rng: Rng;
  /** Weight initialiser (default PyTorch's: U(±1/√(in·kh·kw))). */
  readonly weightInit?: Initializer;
}

/**
 * A 2-D convolution (cross-correlation, as in PyTorch) over NCHW input with an OIHW weight
 * `[out, in, kh, kw]` and PyTorch's default initialisation. Output `[N, out, OH, OW]`.
 */
export class Conv2d extends Module {
  /** `[out, in, kh, kw]` weight. */
  get weight(): Tensor {
    return this.param('weight');
  }

  /** `[out]` bias, or null. */
  get bias(): Tensor | null {
    return this.optionalParam('bias');
  }
  /** `[kh, kw]`. */
  readonly kernelSize: [number, number];
  /** `[sh, sw]`. */
  readonly stride: [number, number];
  /** `[ph, pw]`. */
  readonly padding: [number, number];

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: Size2,
    options: Conv2dLayerOptions,
  ) {
    super();
    const name = new.target.name;
    assertPositiveInt(inChannels, 'inChannels', name);
    assertPositiveInt(outChannels, 'outChannels', name);
    this.kernelSize = pair(kernelSize, 'kernelSize', name, 1);
    this.stride = pair(options.stride ?? 1, 'stride', name, 1);
    this.padding = pair(options.padding ?? 0, 'padding', name, 0);
    const [kh, kw] = this.kernelSize;
    const init = options.weightInit ?? torchDefaultWeight;
    this.registerParameter('weight', init([outChannels, inChannels, kh, kw], options.rng));
    if (options.bias !== false)
      this.registerParameter('bias', torchDefaultBias(outChannels, inChannels * kh * kw, options.rng));
  }

  /** The weight used in the forward pass (the latent weight itself here; binarised in `BinaryConv2d`). */
  effectiveWeight(): Tensor {
    return this.weight;
  }

  override forward(x: Tensor): Tensor {
    if (x.rank !== 4 || x.shape[1] !== this.inChannels) {
      throw new ShapeError(
        `${this.constructor.name}: input of shape ${formatShape(x.shape)}; expected [N, ${this.inChannels}, H, W]`,
      );
    }
    const y = conv2d(x, this.effectiveWeight(), { stride: this.stride, padding: this.padding });
    const bias = this.bias;
    return bias === null ? y : add(y, reshape(bias, [1, this.outChannels, 1, 1]));
  }
}
