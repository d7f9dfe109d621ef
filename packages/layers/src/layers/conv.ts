import { ShapeError, checkOptions, conv2d, formatShape, type Tensor } from '@fbt/tensor';
import { CONV2D_LAYER_KEYS } from './option-keys';
import { WeightedLayer, type WeightedLayerOptions } from './weighted';
import { assertPositiveInt, pair, type Size2 } from './checks';

/** Options of `Conv2d` (and `BinaryConv2d`). */
export interface Conv2dLayerOptions extends WeightedLayerOptions {
  /** Stride (default 1). */
  readonly stride?: Size2;
  /** Zero padding on each side (default 0). */
  readonly padding?: Size2;
}

/**
 * A 2-D convolution (cross-correlation, as in PyTorch) over NCHW input with an OIHW weight
 * `[out, in, kh, kw]` and PyTorch's default initialisation. Output `[N, out, OH, OW]`.
 */
export class Conv2d extends WeightedLayer {
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
    checkOptions(options, CONV2D_LAYER_KEYS, name);
    assertPositiveInt(inChannels, 'inChannels', name);
    assertPositiveInt(outChannels, 'outChannels', name);
    this.kernelSize = pair(kernelSize, 'kernelSize', name, 1);
    this.stride = pair(options.stride ?? 1, 'stride', name, 1);
    this.padding = pair(options.padding ?? 0, 'padding', name, 0);
    const [kh, kw] = this.kernelSize;
    this.registerWeightAndBias([outChannels, inChannels, kh, kw], options);
  }

  override forward(x: Tensor): Tensor {
    if (x.rank !== 4 || x.shape[1] !== this.inChannels) {
      throw new ShapeError(
        `${this.constructor.name}: input of shape ${formatShape(x.shape)}; expected [N, ${this.inChannels}, H, W]`,
      );
    }
    return this.convolve(x, this.effectiveWeight(), this.bias);
  }

  /**
   * The convolution with the effective weight `w`, plus `bias` per output channel when not null
   * (fused into the `conv2d` op here; the bit path in `BinaryConv2d` with `binaryInput` adds it).
   */
  protected convolve(x: Tensor, w: Tensor, bias: Tensor | null): Tensor {
    const window = { stride: this.stride, padding: this.padding };
    return conv2d(x, w, bias === null ? window : { ...window, bias });
  }
}
