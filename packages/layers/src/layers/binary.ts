import {
  ArgumentError,
  abs,
  add,
  assignInPlace,
  binaryKernelsAvailable,
  checkOptions,
  clamp,
  lessEqual,
  mean,
  mul,
  reshape,
  sign,
  tidy,
  type OptionKeys,
  type Tensor,
} from '@fbt/tensor';
import { customOp, noGrad } from '@fbt/autograd';
import { binaryConvProduct, binaryLinearProduct, type BinaryConvGeometry } from './binary-path';
import { Conv2d, type Conv2dLayerOptions } from './conv';
import { Linear, type LinearOptions } from './linear';
import { CONV2D_LAYER_KEYS, WEIGHTED_LAYER_KEYS } from './option-keys';

/** Options shared by the binary layers. */
export interface BinaryOptions {
  /**
   * Multiply each output's binarised weights by α = mean|w| over that output's latent weights
   * (XNOR-Net). Default false: the effective weights are exactly ±1.
   */
  readonly scale?: boolean;
  /**
   * The straight-through estimator passes the gradient where |w| ≤ clip, and `applyConstraints()`
   * clips the latent weights to [−clip, clip] (default 1).
   */
  readonly clip?: number;
  /**
   * Declares the layer's input binary: every value ±1 (the output of a sign activation, or an input
   * binarised beforehand). With it, and `scale` off, the forward multiplies packed signs by
   * XNOR-popcount (`binaryMatMul`) where the backend has the bit-packed kernels (cpu, wasm), with
   * the same result bits as the float product; the backward is the float one. The input is not
   * checked: a value ≥ 0 counts as +1, < 0 as −1. Default false (the float product).
   */
  readonly binaryInput?: boolean;
}

interface BinarizeAttrs {
  readonly scale: boolean;
  readonly clip: number;
}

/**
 * w ↦ sign(w) (sign(0) = +1), times α = mean|w| per output (axis 0) when `scale`. Backward: the
 * clipped straight-through estimator g·1[|w| ≤ clip], times α when scaling (α is treated as a
 * constant in the backward).
 */
const binarize = customOp<BinarizeAttrs>({
  name: 'binarize',
  forward([w], { scale }) {
    const signs = sign(w!);
    if (!scale) return { output: signs };
    const alpha = perOutputMeanAbs(w!);
    return { output: mul(signs, alpha), saved: [alpha] };
  },
  backward({ grad, inputs: [w], saved: [alpha], attrs }) {
    const pass = mul(grad, lessEqual(abs(w!), attrs.clip));
    return [alpha === undefined ? pass : mul(pass, alpha)];
  },
});

function perOutputMeanAbs(w: Tensor): Tensor {
  const axes = w.shape.map((_, i) => i).slice(1);
  return mean(abs(w), axes, true);
}

const BINARY_KEYS: OptionKeys<BinaryOptions> = { scale: true, clip: true, binaryInput: true };

/**
 * Refuses keys outside `baseKeys` and the binary ones, then returns the options of the real-valued
 * base layer: the bias off by default, `scale` and `clip` removed.
 */
function baseOptions<T extends object>(options: T & BinaryOptions, baseKeys: OptionKeys<T>, op: string): T {
  const keys = { ...baseKeys, ...BINARY_KEYS } as OptionKeys<T & BinaryOptions>;
  checkOptions(options, keys, op);
  const { scale: _scale, clip: _clip, binaryInput: _binaryInput, ...base } = options;
  return { bias: false, ...base } as unknown as T;
}

function checkedClip(options: BinaryOptions, op: string): BinarizeAttrs {
  const clip = options.clip ?? 1;
  if (!(clip > 0) || !Number.isFinite(clip))
    throw new ArgumentError(`${op}: clip=${clip}; expected a finite number > 0`);
  return { scale: options.scale ?? false, clip };
}

/** The `binaryInput` option (default false); refuses a non-boolean. */
function checkedBinaryInput(options: BinaryOptions, op: string): boolean {
  const { binaryInput = false } = options;
  if (typeof binaryInput !== 'boolean')
    throw new ArgumentError(`${op}: binaryInput=${String(binaryInput)}; expected a boolean`);
  return binaryInput;
}

/** Clips a latent weight to [−clip, clip] in place. */
function clipLatent(weight: Tensor, clip: number): void {
  noGrad(() => tidy(() => assignInPlace(weight, clamp(weight, -clip, clip))));
}

/**
 * A fully connected layer with binary weights: the forward uses sign(w) (or α·sign(w)), the
 * backward a straight-through estimator clipped at |w| ≤ clip, and the latent real-valued weights
 * are what the optimizer updates. Call `model.applyConstraints()` after each optimizer step to
 * clip the latent weights to [−clip, clip]. The bias (off by default) stays real-valued. With
 * `binaryInput` (a ±1 input) the forward runs on packed signs by XNOR-popcount, same bits.
 */
export class BinaryLinear extends Linear {
  private readonly binarizeAttrs: BinarizeAttrs;
  /** The input is declared ±1 (option `binaryInput`). */
  readonly binaryInput: boolean;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions & BinaryOptions) {
    super(inFeatures, outFeatures, baseOptions(options, WEIGHTED_LAYER_KEYS, 'BinaryLinear'));
    this.binarizeAttrs = checkedClip(options, 'BinaryLinear');
    this.binaryInput = checkedBinaryInput(options, 'BinaryLinear');
  }

  /** True when the forward takes the bit path: `binaryInput`, no α scaling, and the backend has the bit kernels. */
  get usesBitPath(): boolean {
    return this.binaryInput && !this.binarizeAttrs.scale && binaryKernelsAvailable();
  }

  /** Exact ±1 weights without α scaling: what `exportBinary` packs. */
  get packable(): boolean {
    return this.binaryInput && !this.binarizeAttrs.scale;
  }

  protected override product(x: Tensor, w: Tensor, bias: Tensor | null): Tensor {
    if (!this.usesBitPath) return super.product(x, w, bias);
    const y = binaryLinearProduct([x, w], {});
    return bias === null ? y : add(y, bias);
  }

  /** sign(w) or α·sign(w), with the straight-through backward. */
  override effectiveWeight(): Tensor {
    return binarize([this.weight], this.binarizeAttrs);
  }

  protected override constrain(): void {
    clipLatent(this.weight, this.binarizeAttrs.clip);
  }
}

/**
 * A 2-D convolution with binary weights (see `BinaryLinear`; α is per output channel). Call
 * `model.applyConstraints()` after each optimizer step. The bias (off by default) stays real-valued.
 * With `binaryInput` the forward packs the im2col columns of the ±1 input (see `BinaryLinear`).
 */
export class BinaryConv2d extends Conv2d {
  private readonly binarizeAttrs: BinarizeAttrs;
  /** The input is declared ±1 (option `binaryInput`). */
  readonly binaryInput: boolean;

  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly [number, number],
    options: Conv2dLayerOptions & BinaryOptions,
  ) {
    super(inChannels, outChannels, kernelSize, baseOptions(options, CONV2D_LAYER_KEYS, 'BinaryConv2d'));
    this.binarizeAttrs = checkedClip(options, 'BinaryConv2d');
    this.binaryInput = checkedBinaryInput(options, 'BinaryConv2d');
  }

  /** True when the forward takes the bit path: `binaryInput`, no α scaling, and the backend has the bit kernels. */
  get usesBitPath(): boolean {
    return this.binaryInput && !this.binarizeAttrs.scale && binaryKernelsAvailable();
  }

  /** Exact ±1 weights without α scaling: what `exportBinary` packs. */
  get packable(): boolean {
    return this.binaryInput && !this.binarizeAttrs.scale;
  }

  /** The filter shape and window of the bit path. */
  get geometry(): BinaryConvGeometry {
    const [kh, kw] = this.kernelSize;
    return {
      filterShape: [this.outChannels, this.inChannels, kh, kw],
      stride: this.stride,
      padding: this.padding,
    };
  }

  protected override convolve(x: Tensor, w: Tensor, bias: Tensor | null): Tensor {
    if (!this.usesBitPath) return super.convolve(x, w, bias);
    const y = binaryConvProduct([x, w], this.geometry);
    return bias === null ? y : add(y, reshape(bias, [1, this.outChannels, 1, 1]));
  }

  /** sign(w) or α·sign(w), with the straight-through backward. */
  override effectiveWeight(): Tensor {
    return binarize([this.weight], this.binarizeAttrs);
  }

  protected override constrain(): void {
    clipLatent(this.weight, this.binarizeAttrs.clip);
  }
}
