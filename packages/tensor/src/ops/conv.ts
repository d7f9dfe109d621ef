import { engine } from '../engine';
import { convGeometry } from '../geometry/conv';
import { toPair, windowGeometry, type ConvAttrs, type Pair } from '../geometry/window';
import { ArgumentError, ShapeError } from '../errors';
import { checkOptions, type OptionKeys } from '../options';
import { formatShape, type Shape } from '../shape';
import { Tensor } from '../tensor';
import { assertDType } from './creation';

export type {
  Col2imAttrs,
  ConvAttrs,
  Conv2dBackpropFilterAttrs,
  Conv2dBackpropInputAttrs,
  Im2colAttrs,
  Pair,
} from '../geometry/window';

/** A window parameter: one number for both axes, or `[h, w]`. */
export type WindowSize = number | readonly [number, number];

/** Options of `conv2d` and its gradient ops. */
export interface Conv2dOptions {
  /** Step between windows; default 1. */
  readonly stride?: WindowSize;
  /** Zero padding on each side; default 0. */
  readonly padding?: WindowSize;
  /** Spacing between kernel taps; default 1. */
  readonly dilation?: WindowSize;
}

/** Options of `conv2d`: the window options and an optional bias. */
export interface Conv2dForwardOptions extends Conv2dOptions {
  /**
   * Float32 `[O]`, added to every element of output channel `o` (PyTorch's
   * `F.conv2d(input, weight, bias)`); default none. The sum is rounded to float32 first, then the
   * bias added, so the result equals `add(conv2d(x, w), reshape(bias, [1, O, 1, 1]))` to the bit,
   * without its pass over the output.
   */
  readonly bias?: Tensor;
}

/** Options of `im2col`: the convolution options plus the window size. */
export interface Im2colOptions extends Conv2dOptions {
  /** Window size `[kh, kw]` (or one number for both). */
  readonly kernelSize: WindowSize;
}

const CONV_KEYS: OptionKeys<Conv2dOptions> = { stride: true, padding: true, dilation: true };
const CONV2D_KEYS: OptionKeys<Conv2dForwardOptions> = { ...CONV_KEYS, bias: true };
/** The option keys of `im2col` (and `binaryConv2d`). */
export const IM2COL_KEYS: OptionKeys<Im2colOptions> = { ...CONV_KEYS, kernelSize: true };

const ONE: Pair = [1, 1];
const ZERO: Pair = [0, 0];

/** The kernel attributes of a convolution: every option as a `[h, w]` pair. */
function convAttrs(op: string, options: Conv2dOptions): ConvAttrs {
  return {
    stride: toPair(op, 'stride', options.stride, ONE),
    padding: toPair(op, 'padding', options.padding, ZERO),
    dilation: toPair(op, 'dilation', options.dilation, ONE),
  };
}

/**
 * 2-D cross-correlation (deep learning's convolution) of `x` `[N, C, H, W]` with filters `w`
 * `[O, C, kh, kw]`, giving `[N, O, OH, OW]` with `OH = ⌊(H + 2·ph − dh·(kh − 1) − 1) / sh⌋ + 1`
 * (likewise OW), plus `bias` `[O]` per output channel when given. Kernel `conv2d` (inputs x, w and
 * the bias when given).
 *
 * @example
 * conv2d(images, filters, { padding: 2 });           // LeNet's first layer
 * conv2d(x, w, { bias: b, stride: [2, 1], dilation: 2 });
 */
export function conv2d(x: Tensor, w: Tensor, options: Conv2dForwardOptions = {}): Tensor {
  assertDType(x, 'float32', 'conv2d');
  assertDType(w, 'float32', 'conv2d');
  checkOptions(options, CONV2D_KEYS, 'conv2d');
  const { bias, ...window } = options;
  const attrs = convAttrs('conv2d', window);
  const g = convGeometry('conv2d', x.shape, w.shape, attrs);
  if (bias === undefined) return engine().runKernel('conv2d', [x, w], attrs)[0]!;
  if (!(bias instanceof Tensor)) {
    throw new ArgumentError(
      `conv2d: bias is ${String(bias)}; expected a float32 Tensor of shape [${g.outChannels}]`,
    );
  }
  assertDType(bias, 'float32', 'conv2d bias');
  if (bias.rank !== 1 || bias.shape[0] !== g.outChannels) {
    throw new ShapeError(
      `conv2d: bias of shape ${formatShape(bias.shape)}; expected [${g.outChannels}] (one per output channel)`,
    );
  }
  return engine().runKernel('conv2d', [x, w, bias], attrs)[0]!;
}

/**
 * Gradient of `conv2d` with respect to its input: given the output gradient `dy` `[N, O, OH, OW]`
 * and the filters `w`, returns `dx` of shape `inputShape` (kernel `conv2dBackpropInput`).
 */
export function conv2dBackpropInput(
  dy: Tensor,
  w: Tensor,
  options: Conv2dOptions & { readonly inputShape: Shape },
): Tensor {
  const op = 'conv2dBackpropInput';
  assertDType(dy, 'float32', op);
  assertDType(w, 'float32', op);
  checkOptions(options, { ...CONV_KEYS, inputShape: true }, op);
  const attrs = { ...convAttrs(op, options), inputShape: [...options.inputShape] };
  convGeometry(op, attrs.inputShape, w.shape, attrs);
  return engine().runKernel(op, [dy, w], attrs)[0]!;
}

/**
 * Gradient of `conv2d` with respect to its filters: given the input `x` and the output gradient
 * `dy`, returns `dw` of shape `filterShape` `[O, C, kh, kw]`, summed over the batch (kernel
 * `conv2dBackpropFilter`).
 */
export function conv2dBackpropFilter(
  x: Tensor,
  dy: Tensor,
  options: Conv2dOptions & { readonly filterShape: Shape },
): Tensor {
  const op = 'conv2dBackpropFilter';
  assertDType(x, 'float32', op);
  assertDType(dy, 'float32', op);
  checkOptions(options, { ...CONV_KEYS, filterShape: true }, op);
  const attrs = { ...convAttrs(op, options), filterShape: [...options.filterShape] };
  convGeometry(op, x.shape, attrs.filterShape, attrs);
  return engine().runKernel(op, [x, dy], attrs)[0]!;
}

/** The kernel attributes of `im2col`/`col2im`. */
/** The kernel attributes of a windowed op (`im2col`, `col2im`, `binaryConv2d`): every option as a `[h, w]` pair. */
export function im2colAttrs(op: string, options: Im2colOptions): ConvAttrs & { kernelSize: Pair } {
  return { ...convAttrs(op, options), kernelSize: toPair(op, 'kernelSize', options.kernelSize, ONE) };
}

/**
 * Unfolds the sliding windows of `x` `[N, C, H, W]` into a `[C·kh·kw, N·OH·OW]` matrix: row
 * `(c·kh + i)·kw + j`, column `(n·OH + oy)·OW + ox` holds the input tap `(i, j)` of window
 * `(oy, ox)` of image `n` (zero in the padding). Kernel `im2col`.
 */
export function im2col(x: Tensor, options: Im2colOptions): Tensor {
  assertDType(x, 'float32', 'im2col');
  checkOptions(options, IM2COL_KEYS, 'im2col');
  const attrs = im2colAttrs('im2col', options);
  windowGeometry('im2col', x.shape, attrs);
  return engine().runKernel('im2col', [x], attrs)[0]!;
}

/**
 * The adjoint of `im2col`: folds a `[C·kh·kw, N·OH·OW]` column matrix back into an image batch of
 * shape `inputShape`, summing the entries of overlapping windows. Kernel `col2im`.
 */
export function col2im(cols: Tensor, options: Im2colOptions & { readonly inputShape: Shape }): Tensor {
  assertDType(cols, 'float32', 'col2im');
  checkOptions(options, { ...IM2COL_KEYS, inputShape: true }, 'col2im');
  const attrs = { ...im2colAttrs('col2im', options), inputShape: [...options.inputShape] };
  windowGeometry('col2im', attrs.inputShape, attrs);
  return engine().runKernel('col2im', [cols], attrs)[0]!;
}
