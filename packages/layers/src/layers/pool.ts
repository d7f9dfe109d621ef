import { ShapeError, avgPool2d, checkOptions, formatShape, maxPool2d, type Tensor } from '@fbt/tensor';
import { Module } from '../module';
import { pair, type Size2 } from './checks';

/** Options of the pooling layers. */
export interface Pool2dLayerOptions {
  /** Stride (default: the kernel size). */
  readonly stride?: Size2;
  /** Implicit padding on each side (default 0). Average pooling counts padded zeros, like PyTorch's default. */
  readonly padding?: Size2;
}

type PoolOp = typeof maxPool2d;

/** Shared validation and attributes of `MaxPool2d` and `AvgPool2d`. */
abstract class Pool2d extends Module {
  /** `[kh, kw]`. */
  readonly kernelSize: [number, number];
  /** `[sh, sw]`. */
  readonly stride: [number, number];
  /** `[ph, pw]`. */
  readonly padding: [number, number];

  protected constructor(
    kernelSize: Size2,
    options: Pool2dLayerOptions,
    private readonly op: PoolOp,
  ) {
    super();
    const name = new.target.name;
    checkOptions(options, { stride: true, padding: true }, name);
    this.kernelSize = pair(kernelSize, 'kernelSize', name, 1);
    this.stride = pair(options.stride ?? this.kernelSize, 'stride', name, 1);
    this.padding = pair(options.padding ?? 0, 'padding', name, 0);
    if (this.padding[0] * 2 > this.kernelSize[0] || this.padding[1] * 2 > this.kernelSize[1]) {
      throw new ShapeError(
        `${name}: padding ${formatShape(this.padding)} exceeds half the kernel ${formatShape(this.kernelSize)}`,
      );
    }
  }

  override forward(x: Tensor): Tensor {
    if (x.rank !== 4)
      throw new ShapeError(
        `${this.constructor.name}: input of shape ${formatShape(x.shape)}; expected [N, C, H, W]`,
      );
    return this.op(x, { kernelSize: this.kernelSize, stride: this.stride, padding: this.padding });
  }
}

/** 2-D max pooling over NCHW input (window `kernelSize`, stride defaulting to the window). */
export class MaxPool2d extends Pool2d {
  constructor(kernelSize: Size2, options: Pool2dLayerOptions = {}) {
    super(kernelSize, options, maxPool2d);
  }
}

/** 2-D average pooling over NCHW input (window `kernelSize`, stride defaulting to the window). */
export class AvgPool2d extends Pool2d {
  constructor(kernelSize: Size2, options: Pool2dLayerOptions = {}) {
    super(kernelSize, options, avgPool2d);
  }
}
