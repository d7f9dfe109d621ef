// Geometry of a sliding window over `[N, C, H, W]` images, written by the JS side as 16 i32s:
// n c h w kh kw sh sw ph pw dh dw oh ow outChannels allTaps.

@unmanaged
export class Geometry {
  n: i32;
  c: i32;
  h: i32;
  w: i32;
  kh: i32;
  kw: i32;
  sh: i32;
  sw: i32;
  ph: i32;
  pw: i32;
  dh: i32;
  dw: i32;
  oh: i32;
  ow: i32;
  outChannels: i32;
  /**
   * 1 when a convolution must multiply every tap, padding included (an operand holds ±Inf or NaN,
   * and Inf·0 must give NaN as in PyTorch): the direct kernels, which skip padding taps, are not used.
   */
  allTaps: i32;
}

/** Lower end of the output positions whose input index `o·stride − pad + tap` is >= 0. */
export function validLo(outSize: i32, stride: i32, pad: i32, tap: i32): i32 {
  const shift = tap - pad;
  return min(shift >= 0 ? 0 : (-shift + stride - 1) / stride, outSize);
}

/** Upper end (exclusive) of the output positions whose input index is < inSize. */
export function validHi(outSize: i32, stride: i32, pad: i32, tap: i32, inSize: i32): i32 {
  const last = inSize - 1 - (tap - pad);
  return max(min(outSize, last < 0 ? 0 : last / stride + 1), 0);
}
