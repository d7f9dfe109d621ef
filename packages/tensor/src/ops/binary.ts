import { engine } from '../engine';
import { hasKernel } from '../backend/registry';
import { BackendError, ShapeError } from '../errors';
import { assertPacked, assertPackedSize, binaryConvGeometry, binaryMatMulDims } from '../geometry/binary';
import { formatShape } from '../shape';
import type { Tensor } from '../tensor';
import { checkOptions } from '../options';
import { assertDType } from './creation';
import { IM2COL_KEYS, im2colAttrs, type Im2colOptions } from './conv';

export { packedWords, type PackedSizeAttrs } from '../geometry/binary';

/**
 * True when the active backend has the bit-packed kernels (`cpu` and `wasm` do; `gpu` does not: it
 * holds int32 as float32, exact only to 2²⁴, so packed words cannot live in its textures).
 */
export function binaryKernelsAvailable(): boolean {
  return hasKernel('binaryMatMul', engine().backend.name);
}

function assertAvailable(op: string): void {
  if (!binaryKernelsAvailable()) {
    throw new BackendError(
      `${op}: backend '${engine().backend.name}' has no bit-packed kernels; expected cpu or wasm ` +
        '(the gpu backend holds int32 as float32, exact only to 2^24, so packed words cannot live there)',
    );
  }
}

/**
 * Packs sign(x) along the last axis, 64 values per u64 stored as two int32 (little-endian): bit j of
 * u64 word w (bit j mod 32 of int32 word 2w + ⌊j/32⌋) is element 64·w + j, set for x ≥ 0 (sign(0) =
 * +1, so −0 too) and clear for x < 0 or NaN. `[..., K]` float32 → `[..., 2·⌈K/64⌉]` int32; the
 * padding bits past K are clear. Kernel `packSigns`.
 *
 * @example
 * packSigns(tensor([1, -2, 0], [1, 3])); // int32 [[0b101, 0]]
 */
export function packSigns(x: Tensor): Tensor {
  assertDType(x, 'float32', 'packSigns');
  if (x.rank < 1 || x.shape[x.rank - 1]! < 1) {
    throw new ShapeError(`packSigns: x of shape ${formatShape(x.shape)}; expected [..., K] with K ≥ 1`);
  }
  assertAvailable('packSigns');
  return engine().runKernel('packSigns', [x], {})[0]!;
}

/**
 * The ±1 values of `size` packed signs per row (the inverse of `packSigns` up to the sign):
 * `[..., 2·⌈size/64⌉]` int32 → `[..., size]` float32. Kernel `unpackSigns`.
 */
export function unpackSigns(bits: Tensor, size: number): Tensor {
  assertPackedSize(size, 'unpackSigns');
  assertPacked('unpackSigns', 'bits', bits.shape, bits.dtype, size);
  assertAvailable('unpackSigns');
  return engine().runKernel('unpackSigns', [bits], { size })[0]!;
}

/**
 * The product A·Bᵀ of ±1 matrices given packed (XNOR-popcount): `a` `[M, W]` and `b` `[N, W]` int32
 * from `packSigns` of `[M, size]` and `[N, size]` (W = 2·⌈size/64⌉) → `[M, N]` float32 with
 * c[i, j] = size − 2·popcount(a_i ⊕ b_j), the exact integer that `matmul` of the ±1 values gives
 * (up to 2²⁴). Kernel `binaryMatMul`.
 *
 * @example
 * binaryMatMul(packSigns(x), packSigns(w), 784); // equals matmul(sign(x), sign(w), { transposeB: true })
 */
export function binaryMatMul(a: Tensor, b: Tensor, size: number): Tensor {
  assertPackedSize(size, 'binaryMatMul');
  binaryMatMulDims(a, b, size);
  assertAvailable('binaryMatMul');
  return engine().runKernel('binaryMatMul', [a, b], { size })[0]!;
}

/**
 * The convolution of the signs of `x` `[N, C, H, W]` (float32) with packed ±1 filters `w` `[O,
 * 2·⌈C·kh·kw/64⌉]` (int32, `packSigns` of the `[O, C·kh·kw]` filters) by XNOR-popcount →
 * `[N, O, OH, OW]` float32, exact integers. A tap in the padding counts as +1 (the sign of the zero
 * it holds), so the result equals `conv2d` of sign(x) padded with +1 rather than 0; take off the
 * filters' padding taps (conv2d of ones) for the zero-padded product. The im2col columns' signs are
 * packed straight from `x` (no float column matrix) and the output is written in NCHW. Kernel
 * `binaryConv2d`.
 *
 * @example
 * binaryConv2d(x, packSigns(reshape(w, [8, -1])), { kernelSize: 3 }); // equals conv2d(sign(x), w) for ±1 w
 */
export function binaryConv2d(x: Tensor, w: Tensor, options: Im2colOptions): Tensor {
  checkOptions(options, IM2COL_KEYS, 'binaryConv2d');
  const attrs = im2colAttrs('binaryConv2d', options);
  binaryConvGeometry(x, w, attrs);
  assertAvailable('binaryConv2d');
  return engine().runKernel('binaryConv2d', [x, w], attrs)[0]!;
}
