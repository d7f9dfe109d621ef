import {
  ArgumentError,
  abs,
  assignInPlace,
  checkOptions,
  clamp,
  lessEqual,
  mean,
  mul,
  sign,
  tidy,
  type OptionKeys,
  type Tensor,
} from '@fbt/tensor';
import { customOp, noGrad } from '@fbt/autograd';
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

const BINARY_KEYS: OptionKeys<BinaryOptions> = { scale: true, clip: true };

/**
 * Refuses keys outside `baseKeys` and the binary ones, then returns the options of the real-valued
 * base layer: the bias off by default, `scale` and `clip` removed.
 */
function baseOptions<T extends object>(options: T & BinaryOptions, baseKeys: OptionKeys<T>, op: string): T {
  const keys = { ...baseKeys, ...BINARY_KEYS } as OptionKeys<T & BinaryOptions>;
  checkOptions(options, keys, op);
  const { scale: _scale, clip: _clip, ...base } = options;
  return { bias: false, ...base } as unknown as T;
}

function checkedClip(options: BinaryOptions, op: string): BinarizeAttrs {
  const clip = options.clip ?? 1;
  if (!(clip > 0) || !Number.isFinite(clip))
    throw new ArgumentError(`${op}: clip=${clip}; expected a finite number > 0`);
  return { scale: options.scale ?? false, clip };
}

/** Clips a latent weight to [−clip, clip] in place. */
function clipLatent(weight: Tensor, clip: number): void {
  noGrad(() => tidy(() => assignInPlace(weight, clamp(weight, -clip, clip))));
}

/**
 * A fully connected layer with binary weights: the forward uses sign(w) (or α·sign(w)), the
 * backward a straight-through estimator clipped at |w| ≤ clip, and the latent real-valued weights
 * are what the optimizer updates. Call `model.applyConstraints()` after each optimizer step to
 * clip the latent weights to [−clip, clip]. The bias (off by default) stays real-valued.
 */
export class BinaryLinear extends Linear {
  private readonly binarizeAttrs: BinarizeAttrs;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions & BinaryOptions) {
    super(inFeatures, outFeatures, baseOptions(options, WEIGHTED_LAYER_KEYS, 'BinaryLinear'));
    this.binarizeAttrs = checkedClip(options, 'BinaryLinear');
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
 */
export class BinaryConv2d extends Conv2d {
  private readonly binarizeAttrs: BinarizeAttrs;

  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly [number, number],
    options: Conv2dLayerOptions & BinaryOptions,
  ) {
    super(inChannels, outChannels, kernelSize, baseOptions(options, CONV2D_LAYER_KEYS, 'BinaryConv2d'));
    this.binarizeAttrs = checkedClip(options, 'BinaryConv2d');
  }

  /** sign(w) or α·sign(w), with the straight-through backward. */
  override effectiveWeight(): Tensor {
    return binarize([this.weight], this.binarizeAttrs);
  }

  protected override constrain(): void {
    clipLatent(this.weight, this.binarizeAttrs.clip);
  }
}
