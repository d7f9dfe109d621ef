import { engine } from '../engine';
import { poolGeometry, toPair, type Pair, type PoolAttrs } from '../geometry/window';
import { checkOptions, type OptionKeys } from '../options';
import type { Shape } from '../shape';
import type { Tensor } from '../tensor';
import type { WindowSize } from './conv';
import { assertDType } from './creation';

export type { AvgPoolBackwardAttrs, PoolAttrs } from '../geometry/window';

/** Options of the pooling ops. */
export interface Pool2dOptions {
  /** Window size (one number for both axes, or `[kh, kw]`). */
  readonly kernelSize: WindowSize;
  /** Step between windows; default `kernelSize` (non-overlapping windows). */
  readonly stride?: WindowSize;
  /** Padding on each side, at most half the window; default 0. */
  readonly padding?: WindowSize;
}

const POOL_KEYS: OptionKeys<Pool2dOptions> = { kernelSize: true, stride: true, padding: true };

/** The kernel attributes of a pooling op: every option as a `[h, w]` pair. */
function poolAttrs(op: string, options: Pool2dOptions): PoolAttrs {
  const kernelSize = toPair(op, 'kernelSize', options.kernelSize, [1, 1]);
  const zero: Pair = [0, 0];
  return {
    kernelSize,
    stride: toPair(op, 'stride', options.stride, kernelSize),
    padding: toPair(op, 'padding', options.padding, zero),
  };
}

/** Checks dtypes and the window over `inputShape`, then runs the pooling kernel `op`. */
function runPool(op: string, inputs: readonly Tensor[], inputShape: Shape, attrs: PoolAttrs): Tensor {
  for (const t of inputs) assertDType(t, 'float32', op);
  poolGeometry(op, inputShape, attrs);
  return engine().runKernel(op, inputs, attrs)[0]!;
}

/**
 * Max pooling of `x` `[N, C, H, W]` over `kernelSize` windows, giving `[N, C, OH, OW]` with
 * `OH = ⌊(H + 2·ph − kh) / sh⌋ + 1`. Padding acts as −∞. Kernel `maxPool2d`.
 *
 * @example
 * maxPool2d(x, { kernelSize: 2 }); // halves H and W
 */
export function maxPool2d(x: Tensor, options: Pool2dOptions): Tensor {
  checkOptions(options, POOL_KEYS, 'maxPool2d');
  return runPool('maxPool2d', [x], x.shape, poolAttrs('maxPool2d', options));
}

/**
 * Average pooling of `x` `[N, C, H, W]`. The divisor is always `kh·kw`: padding counts as zeros
 * (PyTorch's default `count_include_pad=True`). Kernel `avgPool2d`.
 */
export function avgPool2d(x: Tensor, options: Pool2dOptions): Tensor {
  checkOptions(options, POOL_KEYS, 'avgPool2d');
  return runPool('avgPool2d', [x], x.shape, poolAttrs('avgPool2d', options));
}

/**
 * Gradient of `maxPool2d`: routes each element of `dy` to the maximum of its window in `x` (the
 * first one in row-major window order on ties, like PyTorch), summing where windows overlap.
 * Kernel `maxPool2dBackward`.
 */
export function maxPool2dBackward(dy: Tensor, x: Tensor, options: Pool2dOptions): Tensor {
  checkOptions(options, POOL_KEYS, 'maxPool2dBackward');
  return runPool('maxPool2dBackward', [dy, x], x.shape, poolAttrs('maxPool2dBackward', options));
}

/**
 * Gradient of `avgPool2d`: spreads each element of `dy` over its window divided by `kh·kw`,
 * giving a tensor of shape `inputShape`. Kernel `avgPool2dBackward`.
 */
export function avgPool2dBackward(
  dy: Tensor,
  options: Pool2dOptions & { readonly inputShape: Shape },
): Tensor {
  const op = 'avgPool2dBackward';
  checkOptions(options, { ...POOL_KEYS, inputShape: true }, op);
  const attrs = { ...poolAttrs(op, options), inputShape: [...options.inputShape] };
  return runPool(op, [dy], attrs.inputShape, attrs);
}
