import {
  binaryConv2d,
  binaryMatMul,
  conv2d,
  conv2dBackpropFilter,
  conv2dBackpropInput,
  matmul,
  ones,
  packSigns,
  reshape,
  sub,
  sum,
  type Tensor,
} from '@fbt/tensor';
import { customOp } from '@fbt/autograd';

/*
 * The bit path of the binary layers: a ±1 input times ±1 weights by XNOR-popcount on packed signs
 * (`packSigns`, `binaryMatMul`), equal bit for bit to the float product of the same ±1 values (the
 * sums are integers). Used by `BinaryLinear`/`BinaryConv2d` with `binaryInput` and by the packed
 * inference layers of `exportBinary`.
 */

/** The window geometry of a binary convolution. */
export interface BinaryConvGeometry {
  /** `[O, C, kh, kw]`. */
  readonly filterShape: readonly [number, number, number, number];
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
}

/** x·Wᵀ for a ±1 input `x` `[N, in]` and packed weight signs `wBits` `[out, 2·⌈in/64⌉]`. */
export function denseBits(x: Tensor, wBits: Tensor): Tensor {
  return binaryMatMul(packSigns(x), wBits, x.shape[1]!);
}

/**
 * What the padding adds when its zeros are packed as +1 (sign(0) = +1): per output channel and
 * position, the sum of the filter taps that fall in the padding, `[1, O, OH, OW]`, or null without
 * padding. `w` holds the ±1 filters; the sums are integers, so subtracting them is exact.
 */
export function paddingCorrection(
  w: Tensor,
  inputShape: readonly number[],
  g: BinaryConvGeometry,
): Tensor | null {
  if (g.padding[0] === 0 && g.padding[1] === 0) return null;
  const [o, c] = g.filterShape;
  const inside = conv2d(ones([1, c, inputShape[2]!, inputShape[3]!]), w, {
    stride: g.stride,
    padding: g.padding,
  });
  return sub(reshape(sum(w, [1, 2, 3]), [1, o, 1, 1]), inside);
}

/**
 * conv2d of a ±1 input `x` `[N, C, H, W]` with packed filter signs `wBits` `[O, 2·⌈C·kh·kw/64⌉]`:
 * `binaryConv2d` (the im2col signs packed straight from `x`, NCHW out, padding taps as +1), then
 * `correction` (from `paddingCorrection`) taken off.
 */
export function convBits(x: Tensor, wBits: Tensor, g: BinaryConvGeometry, correction: Tensor | null): Tensor {
  const [, , kh, kw] = g.filterShape;
  const y = binaryConv2d(x, wBits, { kernelSize: [kh, kw], stride: g.stride, padding: g.padding });
  return correction === null ? y : sub(y, correction);
}

/**
 * x·wᵀ on the bit path (x ±1 `[N, in]`, w ±1 `[out, in]`), with the float matmul's backward:
 * dx = g·w, dw = gᵀ·x, so training sees exactly what the float path gives.
 */
export const binaryLinearProduct = customOp<Record<string, never>>({
  name: 'binaryLinear',
  forward([x, w]) {
    return { output: denseBits(x!, packSigns(w!)) };
  },
  backward({ grad, inputs: [x, w] }) {
    return [
      x!.requiresGrad ? matmul(grad, w!) : null,
      w!.requiresGrad ? matmul(grad, x!, { transposeA: true }) : null,
    ];
  },
});

/** conv2d on the bit path (x ±1, w ±1 `[O, C, kh, kw]`), with the float conv2d's backward. */
export const binaryConvProduct = customOp<BinaryConvGeometry>({
  name: 'binaryConv2d',
  forward([x, w], g) {
    const wBits = packSigns(reshape(w!, [g.filterShape[0], -1]));
    return { output: convBits(x!, wBits, g, paddingCorrection(w!, x!.shape, g)) };
  },
  backward({ grad, inputs: [x, w], attrs: g }) {
    const attrs = { stride: [...g.stride] as [number, number], padding: [...g.padding] as [number, number] };
    return [
      x!.requiresGrad ? conv2dBackpropInput(grad, w!, { ...attrs, inputShape: x!.shape }) : null,
      w!.requiresGrad ? conv2dBackpropFilter(x!, grad, { ...attrs, filterShape: w!.shape }) : null,
    ];
  },
});
