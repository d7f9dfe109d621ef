import { validOutputRange, type WindowGeometry } from '../../../geometry/window';

/**
 * Unfolds image `image` of `x` (`[N, C, H, W]`, geometry `g`) into columns: row
 * `(c·kh + i)·kw + j` of `cols` holds input `(c, oy·sh − ph + i·dh, ox·sw − pw + j·dw)` at column
 * `colStart + oy·ow + ox` (zero where the window reads padding). `ld` is the row stride of `cols`,
 * so one image can fill its own block of a batch-wide column matrix.
 */
export function im2colImage(
  x: Float32Array,
  image: number,
  g: WindowGeometry,
  cols: Float32Array,
  colStart: number,
  ld: number,
): void {
  const { c: channels, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow } = g;
  let row = 0;
  for (let c = 0; c < channels; c++) {
    const plane = (image * channels + c) * h * w;
    for (let i = 0; i < kh; i++) {
      const [oyLo, oyHi] = validOutputRange(oh, sh, ph, i * dh, h);
      for (let j = 0; j < kw; j++, row++) {
        const [oxLo, oxHi] = validOutputRange(ow, sw, pw, j * dw, w);
        const rowStart = row * ld + colStart;
        cols.fill(0, rowStart, rowStart + oh * ow);
        for (let oy = oyLo; oy < oyHi; oy++) {
          const src = plane + (oy * sh - ph + i * dh) * w - pw + j * dw;
          const dst = rowStart + oy * ow;
          for (let ox = oxLo; ox < oxHi; ox++) cols[dst + ox] = x[src + ox * sw]!;
        }
      }
    }
  }
}

/**
 * The adjoint of `im2colImage`: adds every column entry back onto the input position it was read
 * from, so overlapping windows sum. Padding entries are dropped. `x` must be zeroed by the caller.
 */
export function col2imImage(
  cols: Float32Array,
  colStart: number,
  ld: number,
  g: WindowGeometry,
  x: Float32Array,
  image: number,
): void {
  const { c: channels, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow } = g;
  let row = 0;
  for (let c = 0; c < channels; c++) {
    const plane = (image * channels + c) * h * w;
    for (let i = 0; i < kh; i++) {
      const [oyLo, oyHi] = validOutputRange(oh, sh, ph, i * dh, h);
      for (let j = 0; j < kw; j++, row++) {
        const [oxLo, oxHi] = validOutputRange(ow, sw, pw, j * dw, w);
        const rowStart = row * ld + colStart;
        for (let oy = oyLo; oy < oyHi; oy++) {
          const dst = plane + (oy * sh - ph + i * dh) * w - pw + j * dw;
          const src = rowStart + oy * ow;
          for (let ox = oxLo; ox < oxHi; ox++) x[dst + ox * sw] = x[dst + ox * sw]! + cols[src + ox]!;
        }
      }
    }
  }
}
