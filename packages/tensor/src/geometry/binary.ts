import { ArgumentError, DTypeError, ShapeError } from '../errors';
import { formatShape, type Shape } from '../shape';
import { convGeometry, type ConvGeometry } from './conv';
import type { Im2colAttrs } from './window';
import type { DType } from '../dtype';

/**
 * Attributes of the `unpackSigns` and `binaryMatMul` kernels: `size` is the number of values along
 * the packed (reduction) axis, K.
 */
export type PackedSizeAttrs = {
  readonly size: number;
};

/** int32 words of a packed row of `k` values: two per u64, ⌈k/64⌉ u64 (so 2·⌈k/64⌉). */
export function packedWords(k: number): number {
  return 2 * Math.ceil(k / 64);
}

/** Refuses a `size` that is not a positive integer, naming `op`. */
export function assertPackedSize(size: unknown, op: string): number {
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1) {
    throw new ArgumentError(`${op}: size=${String(size)}; expected the unpacked length K, an integer ≥ 1`);
  }
  return size;
}

/** Refuses a packed operand that is not int32 with 2·⌈size/64⌉ words along its last axis. */
export function assertPacked(op: string, name: string, shape: Shape, dtype: DType, size: number): void {
  const words = packedWords(size);
  if (dtype !== 'int32') {
    throw new DTypeError(`${op}: ${name} is ${dtype}; expected the int32 words of packSigns`);
  }
  if (shape.length < 1 || shape[shape.length - 1] !== words) {
    throw new ShapeError(
      `${op}: ${name} of shape ${formatShape(shape)}; expected [..., ${words}] (2·⌈${size}/64⌉ int32 words of ${size} packed signs)`,
    );
  }
}

/** Sizes of a binary product `A·Bᵀ` of packed `[M, W]` and `[N, W]` operands. */
export interface BinaryMatMulDims {
  readonly m: number;
  readonly n: number;
  readonly k: number;
}

/** Checks the operands of `binaryMatMul` (packed `[M, W]` and `[N, W]`, W = 2·⌈size/64⌉). */
export function binaryMatMulDims(
  a: { readonly shape: Shape; readonly dtype: DType },
  b: { readonly shape: Shape; readonly dtype: DType },
  size: number,
): BinaryMatMulDims {
  const op = 'binaryMatMul';
  for (const [name, t] of [
    ['a', a],
    ['b', b],
  ] as const) {
    if (t.shape.length !== 2) {
      throw new ShapeError(
        `${op}: ${name} of shape ${formatShape(t.shape)}; expected a rank-2 [rows, ${packedWords(size)}] packed operand`,
      );
    }
    assertPacked(op, name, t.shape, t.dtype, size);
  }
  return { m: a.shape[0]!, n: b.shape[0]!, k: size };
}

/**
 * Validates `binaryConv2d`'s operands, x `[N, C, H, W]` float32 and the packed filters `[O,
 * 2·⌈C·kh·kw/64⌉]` int32 (kh, kw from `attrs.kernelSize`), and returns the convolution's geometry.
 */
export function binaryConvGeometry(
  x: { readonly shape: Shape; readonly dtype: DType },
  w: { readonly shape: Shape; readonly dtype: DType },
  attrs: Im2colAttrs,
): ConvGeometry {
  const op = 'binaryConv2d';
  if (x.dtype !== 'float32') throw new DTypeError(`${op}: x is ${x.dtype}; expected float32 images`);
  if (x.shape.length !== 4) {
    throw new ShapeError(`${op}: x of shape ${formatShape(x.shape)}; expected [N, C, H, W]`);
  }
  const [kh, kw] = attrs.kernelSize;
  const size = x.shape[1]! * kh * kw;
  if (w.shape.length !== 2) {
    throw new ShapeError(
      `${op}: w of shape ${formatShape(w.shape)}; expected the packed filters [O, ${packedWords(size)}]`,
    );
  }
  assertPacked(op, 'w', w.shape, w.dtype, size);
  return convGeometry(op, x.shape, [w.shape[0]!, x.shape[1]!, kh, kw], attrs);
}
