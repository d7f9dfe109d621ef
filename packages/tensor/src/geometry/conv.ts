import { ShapeError } from '../errors';
import { assertValidShape, formatShape, shapesEqual, type Shape } from '../shape';
import { windowGeometry, type ConvAttrs, type WindowGeometry } from './window';

/** The geometry of a 2-D convolution: the sliding window over the input plus the output channels. */
export interface ConvGeometry extends WindowGeometry {
  /** Output channels O (rows of the filter matrix). */
  readonly outChannels: number;
}

/**
 * Validates a convolution of an `[N, C, H, W]` input by an `[O, C, kh, kw]` filter and returns its
 * geometry; `op` names the caller in the `ShapeError`/`ArgumentError` messages.
 */
export function convGeometry(
  op: string,
  inputShape: Shape,
  filterShape: Shape,
  attrs: ConvAttrs,
): ConvGeometry {
  assertValidShape(inputShape, op);
  assertValidShape(filterShape, op);
  if (filterShape.length !== 4) {
    throw new ShapeError(
      `${op}: filter shape ${formatShape(filterShape)} has rank ${filterShape.length}; expected [O, C, kh, kw]`,
    );
  }
  const [outChannels, channels, kh, kw] = filterShape as [number, number, number, number];
  if (inputShape.length === 4 && inputShape[1] !== channels) {
    throw new ShapeError(
      `${op}: input ${formatShape(inputShape)} has ${inputShape[1]} channels but filter ${formatShape(filterShape)} ` +
        `expects ${channels}; expected x [N, C, H, W] and w [O, C, kh, kw] with equal C`,
    );
  }
  const g = windowGeometry(op, inputShape, { kernelSize: [kh, kw], ...attrs });
  return { ...g, outChannels };
}

/** Throws a `ShapeError` naming `op` unless `what` has exactly the shape `expected`. */
export function assertShape(op: string, what: string, shape: Shape, expected: Shape): void {
  if (!shapesEqual(shape, expected)) {
    throw new ShapeError(`${op}: ${what} has shape ${formatShape(shape)}; expected ${formatShape(expected)}`);
  }
}

/** The output shape `[N, O, OH, OW]` of a convolution. */
export function convOutputShape(g: ConvGeometry): number[] {
  return [g.n, g.outChannels, g.oh, g.ow];
}
