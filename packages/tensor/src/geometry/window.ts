import { ArgumentError, ShapeError } from '../errors';
import { assertValidShape, formatShape, type Shape } from '../shape';

/** A `[height, width]` pair of window parameters, as kernel attributes carry them. */
export type Pair = readonly [number, number];

/** Attributes of the `conv2d` kernel (and the shared part of the other conv kernels). */
export type ConvAttrs = {
  /** Step between windows `[sh, sw]`, at least 1. */
  readonly stride: Pair;
  /** Zero padding added on each side `[ph, pw]`, at least 0. */
  readonly padding: Pair;
  /** Spacing between kernel taps `[dh, dw]`, at least 1. */
  readonly dilation: Pair;
};

/** Attributes of the `im2col` kernel. */
export type Im2colAttrs = ConvAttrs & {
  /** Window size `[kh, kw]`. */
  readonly kernelSize: Pair;
};

/** Attributes of the `col2im` kernel. */
export type Col2imAttrs = Im2colAttrs & {
  /** Shape `[N, C, H, W]` of the image batch to rebuild. */
  readonly inputShape: Shape;
};

/** Attributes of the `conv2dBackpropInput` kernel. */
export type Conv2dBackpropInputAttrs = ConvAttrs & {
  /** Shape `[N, C, H, W]` of the conv input whose gradient is computed. */
  readonly inputShape: Shape;
};

/** Attributes of the `conv2dBackpropFilter` kernel. */
export type Conv2dBackpropFilterAttrs = ConvAttrs & {
  /** Shape `[O, C, kh, kw]` of the filter whose gradient is computed. */
  readonly filterShape: Shape;
};

/** Attributes of the pooling kernels (`maxPool2d`, `avgPool2d`, `maxPool2dBackward`). */
export type PoolAttrs = {
  /** Window size `[kh, kw]`. */
  readonly kernelSize: Pair;
  /** Step between windows `[sh, sw]`. */
  readonly stride: Pair;
  /** Padding on each side `[ph, pw]` (−∞ for max pooling, counted zeros for average pooling). */
  readonly padding: Pair;
};

/** Attributes of the `avgPool2dBackward` kernel. */
export type AvgPoolBackwardAttrs = PoolAttrs & {
  /** Shape `[N, C, H, W]` of the pooled input. */
  readonly inputShape: Shape;
};

/**
 * Everything a kernel needs to slide a window over a batch of `[N, C, H, W]` images: the input
 * sizes `n, c, h, w`, the window `kh, kw`, stride `sh, sw`, padding `ph, pw`, dilation `dh, dw`
 * and the output size `oh, ow`.
 */
export interface WindowGeometry {
  readonly n: number;
  readonly c: number;
  readonly h: number;
  readonly w: number;
  readonly kh: number;
  readonly kw: number;
  readonly sh: number;
  readonly sw: number;
  readonly ph: number;
  readonly pw: number;
  readonly dh: number;
  readonly dw: number;
  readonly oh: number;
  readonly ow: number;
}

/** The window parameters `windowGeometry` takes; `dilation` defaults to `[1, 1]`. */
export interface WindowParams {
  readonly kernelSize: Pair;
  readonly stride: Pair;
  readonly padding: Pair;
  readonly dilation?: Pair;
}

const NO_DILATION: Pair = [1, 1];

/**
 * Turns a window option (one number for both axes, or `[h, w]`) into a pair, or `fallback` when
 * it is undefined. Range checks happen in `windowGeometry`; `op` and `name` label the error.
 */
export function toPair(
  op: string,
  name: string,
  value: number | readonly number[] | undefined,
  fallback: Pair,
): Pair {
  if (value === undefined) return fallback;
  if (typeof value === 'number') return [value, value];
  if (Array.isArray(value) && value.length === 2) return [value[0]!, value[1]!];
  throw new ArgumentError(`${op}: ${name} ${JSON.stringify(value)}; expected a number or a pair [h, w]`);
}

function assertPair(op: string, name: string, pair: unknown, min: number): void {
  const ok =
    Array.isArray(pair) &&
    pair.length === 2 &&
    pair.every((v) => Number.isInteger(v) && (v as number) >= min);
  if (!ok) {
    throw new ArgumentError(
      `${op}: ${name} ${JSON.stringify(pair)}; expected an integer >= ${min} or a pair [h, w] of them`,
    );
  }
}

/**
 * Validates the window parameters against an `[N, C, H, W]` input shape and returns the geometry.
 * Throws an `ArgumentError` for a bad parameter and a `ShapeError` when the (dilated) window is
 * larger than the padded input; `op` names the caller in the message.
 */
export function windowGeometry(op: string, inputShape: Shape, params: WindowParams): WindowGeometry {
  if (inputShape.length !== 4) {
    throw new ShapeError(
      `${op}: input shape ${formatShape(inputShape)} has rank ${inputShape.length}; expected [N, C, H, W]`,
    );
  }
  assertValidShape(inputShape, op);
  const dilation = params.dilation ?? NO_DILATION;
  assertPair(op, 'kernelSize', params.kernelSize, 1);
  assertPair(op, 'stride', params.stride, 1);
  assertPair(op, 'padding', params.padding, 0);
  assertPair(op, 'dilation', dilation, 1);
  const [n, c, h, w] = inputShape as [number, number, number, number];
  const [kh, kw] = params.kernelSize;
  const [sh, sw] = params.stride;
  const [ph, pw] = params.padding;
  const [dh, dw] = dilation;
  const spanH = dh * (kh - 1) + 1;
  const spanW = dw * (kw - 1) + 1;
  if (spanH > h + 2 * ph || spanW > w + 2 * pw) {
    throw new ShapeError(
      `${op}: window ${spanH}x${spanW} (kernelSize [${kh}, ${kw}], dilation [${dh}, ${dw}]) is larger than the padded input ` +
        `${h + 2 * ph}x${w + 2 * pw} (input ${formatShape(inputShape)}, padding [${ph}, ${pw}]); expected a window that fits`,
    );
  }
  const oh = Math.floor((h + 2 * ph - spanH) / sh) + 1;
  const ow = Math.floor((w + 2 * pw - spanW) / sw) + 1;
  return { n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow };
}

/**
 * The output positions `o` in `[0, outSize)` for which the input index `o * stride - pad + tap`
 * lies inside `[0, inSize)`, as a half-open range `[lo, hi)` (empty when `lo >= hi`). Lets the
 * window loops skip padding without a bounds test per element.
 */
export function validOutputRange(
  outSize: number,
  stride: number,
  pad: number,
  tap: number,
  inSize: number,
): [number, number] {
  const shift = tap - pad;
  const lo = shift >= 0 ? 0 : Math.ceil(-shift / stride);
  const hi = Math.min(outSize, Math.floor((inSize - 1 - shift) / stride) + 1);
  return [Math.min(lo, outSize), Math.max(hi, 0)];
}

/**
 * Validates pooling attributes against an `[N, C, H, W]` input and returns the geometry. Like
 * PyTorch, padding may be at most half the window (`2·p <= k`), so every window holds at least one
 * real element.
 */
export function poolGeometry(op: string, inputShape: Shape, attrs: PoolAttrs): WindowGeometry {
  const g = windowGeometry(op, inputShape, attrs);
  if (g.h === 0 || g.w === 0) {
    throw new ShapeError(
      `${op}: input ${formatShape(inputShape)} has an empty plane; expected H >= 1 and W >= 1`,
    );
  }
  if (2 * g.ph > g.kh || 2 * g.pw > g.kw) {
    throw new ArgumentError(
      `${op}: padding [${g.ph}, ${g.pw}] is more than half of kernelSize [${g.kh}, ${g.kw}]; expected 2·padding <= kernelSize`,
    );
  }
  return g;
}
