// The bias of a convolution's forward pass or of a matrix product, added to the output right after
// it is computed (while it is in cache) instead of in a pass of its own.
import { at4 } from './plan';

/**
 * Adds `bias[c]` (float32) to every element of channels [c0, c1) of images [n0, n0 + count) of the
 * NCHW output at `y` (`channels` planes of `area` floats an image): a float32 add of the finished
 * sum, so the result equals the separate broadcast add to the bit. Nothing when `bias` is 0.
 */
export function addChannelBias(
  y: usize,
  bias: usize,
  n0: i32,
  count: i32,
  channels: i32,
  c0: i32,
  c1: i32,
  area: i32,
): void {
  if (bias == 0) return;
  for (let n = n0; n < n0 + count; n++)
    for (let c = c0; c < c1; c++) {
      const b = load<f32>(at4(bias, c));
      const splat = f32x4.splat(b);
      const plane = at4(y, (n * channels + c) * area);
      let i = 0;
      for (; i + 4 <= area; i += 4) {
        const at = at4(plane, i);
        v128.store(at, f32x4.add(v128.load(at), splat));
      }
      for (; i < area; i++) store<f32>(at4(plane, i), load<f32>(at4(plane, i)) + b);
    }
}

/**
 * Adds `bias[j]` (float32) to element j of each of the `m` rows of `n` floats at `c` (row stride
 * `ldc` elements): a float32 add of the finished sum, so the result equals the separate broadcast
 * add to the bit. Nothing when `bias` is 0.
 */
export function addRowBias(c: usize, ldc: i32, m: i32, n: i32, bias: usize): void {
  if (bias == 0) return;
  for (let i = 0; i < m; i++) {
    const row = at4(c, i * ldc);
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const at = at4(row, j);
      v128.store(at, f32x4.add(v128.load(at), v128.load(at4(bias, j))));
    }
    for (; j < n; j++) store<f32>(at4(row, j), load<f32>(at4(row, j)) + load<f32>(at4(bias, j)));
  }
}
