// im2col / col2im and the convolutions built on them, over chunks of images whose column matrix
// stays in cache (at most CHUNK_ELEMENTS floats): forward Y = W·cols(X); input gradient
// dX = col2im(Wᵀ·dY); filter gradient dW = dY·cols(X)ᵀ by dot products (gemmNT). W is seen as the
// [O, C·kh·kw] matrix; Y and dY as [O, images·OH·OW], copied from or to NCHW per chunk.
import { gemmNT } from './dot';
import { gemm } from './gemm';
import { Scratch } from './memory';
import { at4 } from './plan';
import { Geometry, validHi, validLo } from './window';

/**
 * Largest column matrix of one chunk, in floats (256 KiB, so im2col's output is still in L2 when
 * GEMM reads it), unless a single image needs more. Whole-batch chunks measured 2x slower.
 */
const CHUNK_ELEMENTS: i32 = 1 << 16;

const columns = new Scratch();
const channelMajor = new Scratch();

/** Images per chunk: as many as fit CHUNK_ELEMENTS floats of columns, at least one. */
function imagesPerChunk(depth: i32, area: i32, images: i32): i32 {
  return max(1, min(images, CHUNK_ELEMENTS / max(depth * area, 1)));
}

/**
 * Copies images [first, first + count) between `t` ([N, channels, area]) and `major`
 * ([channels, count·area]): into `major` when `toMajor`, back into `t` otherwise.
 */
function channelMajorCopy(
  t: usize,
  channels: i32,
  area: i32,
  first: i32,
  count: i32,
  major: usize,
  toMajor: bool,
): void {
  const bytes = (<usize>area) << 2;
  const ld = count * area;
  for (let i = 0; i < count; i++)
    for (let o = 0; o < channels; o++) {
      const image = at4(t, ((first + i) * channels + o) * area);
      const row = at4(major, o * ld + i * area);
      if (toMajor) memory.copy(row, image, bytes);
      else memory.copy(image, row, bytes);
    }
}

/** Unfolds image `image` of x into rows of `cols` (row stride `ld`) starting at column `colStart`. */
export function im2colImage(x: usize, image: i32, g: Geometry, cols: usize, colStart: i32, ld: i32): void {
  let row = 0;
  const area = g.oh * g.ow;
  for (let c = 0; c < g.c; c++) {
    const plane = (image * g.c + c) * g.h * g.w;
    for (let i = 0; i < g.kh; i++) {
      const oyLo = validLo(g.oh, g.sh, g.ph, i * g.dh);
      const oyHi = validHi(g.oh, g.sh, g.ph, i * g.dh, g.h);
      for (let j = 0; j < g.kw; j++, row++) {
        const oxLo = validLo(g.ow, g.sw, g.pw, j * g.dw);
        const oxHi = validHi(g.ow, g.sw, g.pw, j * g.dw, g.w);
        const rowStart = row * ld + colStart;
        memory.fill(at4(cols, rowStart), 0, (<usize>area) << 2);
        for (let oy = oyLo; oy < oyHi; oy++) {
          const src = plane + (oy * g.sh - g.ph + i * g.dh) * g.w - g.pw + j * g.dw;
          const dst = rowStart + oy * g.ow;
          if (g.sw == 1) memory.copy(at4(cols, dst + oxLo), at4(x, src + oxLo), (<usize>(oxHi - oxLo)) << 2);
          else
            for (let ox = oxLo; ox < oxHi; ox++)
              store<f32>(at4(cols, dst + ox), load<f32>(at4(x, src + ox * g.sw)));
        }
      }
    }
  }
}

/** Adds every column entry back onto the input position it was read from (x zeroed by the caller). */
export function col2imImage(cols: usize, colStart: i32, ld: i32, g: Geometry, x: usize, image: i32): void {
  let row = 0;
  for (let c = 0; c < g.c; c++) {
    const plane = (image * g.c + c) * g.h * g.w;
    for (let i = 0; i < g.kh; i++) {
      const oyLo = validLo(g.oh, g.sh, g.ph, i * g.dh);
      const oyHi = validHi(g.oh, g.sh, g.ph, i * g.dh, g.h);
      for (let j = 0; j < g.kw; j++, row++) {
        const oxLo = validLo(g.ow, g.sw, g.pw, j * g.dw);
        const oxHi = validHi(g.ow, g.sw, g.pw, j * g.dw, g.w);
        const rowStart = row * ld + colStart;
        for (let oy = oyLo; oy < oyHi; oy++) {
          const dst = plane + (oy * g.sh - g.ph + i * g.dh) * g.w - g.pw + j * g.dw;
          const src = rowStart + oy * g.ow;
          let ox = oxLo;
          if (g.sw == 1) {
            for (; ox + 4 <= oxHi; ox += 4) {
              const d = at4(x, dst + ox);
              v128.store(d, f32x4.add(v128.load(d), v128.load(at4(cols, src + ox))));
            }
          }
          for (; ox < oxHi; ox++) {
            const d = at4(x, dst + ox * g.sw);
            store<f32>(d, load<f32>(d) + load<f32>(at4(cols, src + ox)));
          }
        }
      }
    }
  }
}

/** im2col of the whole batch: cols is [C·kh·kw, N·OH·OW]. */
export function im2col(x: usize, g: Geometry, cols: usize): void {
  const area = g.oh * g.ow;
  for (let n = 0; n < g.n; n++) im2colImage(x, n, g, cols, n * area, g.n * area);
}

/** col2im of the whole batch into x (zeroed here). */
export function col2im(cols: usize, g: Geometry, x: usize): void {
  const area = g.oh * g.ow;
  memory.fill(x, 0, (<usize>(g.n * g.c * g.h * g.w)) << 2);
  for (let n = 0; n < g.n; n++) col2imImage(cols, n * area, g.n * area, g, x, n);
}

export function conv2d(x: usize, w: usize, y: usize, g: Geometry): void {
  const depth = g.c * g.kh * g.kw;
  const area = g.oh * g.ow;
  const per = imagesPerChunk(depth, area, g.n);
  const cols = columns.get((<usize>depth * per * area) << 2);
  const out = channelMajor.get((<usize>g.outChannels * per * area) << 2);
  for (let first = 0; first < g.n; first += per) {
    const count = min(per, g.n - first);
    const ld = count * area;
    for (let i = 0; i < count; i++) im2colImage(x, first + i, g, cols, i * area, ld);
    gemm(g.outChannels, ld, depth, w, depth, 1, cols, ld, 1, out, ld, false);
    channelMajorCopy(y, g.outChannels, area, first, count, out, false);
  }
}

export function conv2dBackpropInput(dy: usize, w: usize, dx: usize, g: Geometry): void {
  const depth = g.c * g.kh * g.kw;
  const area = g.oh * g.ow;
  const per = imagesPerChunk(depth, area, g.n);
  const cols = columns.get((<usize>depth * per * area) << 2);
  const grad = channelMajor.get((<usize>g.outChannels * per * area) << 2);
  memory.fill(dx, 0, (<usize>(g.n * g.c * g.h * g.w)) << 2);
  for (let first = 0; first < g.n; first += per) {
    const count = min(per, g.n - first);
    const ld = count * area;
    channelMajorCopy(dy, g.outChannels, area, first, count, grad, true);
    gemm(depth, ld, g.outChannels, w, 1, depth, grad, ld, 1, cols, ld, false);
    for (let i = 0; i < count; i++) col2imImage(cols, i * area, ld, g, dx, first + i);
  }
}

export function conv2dBackpropFilter(x: usize, dy: usize, dw: usize, g: Geometry): void {
  const depth = g.c * g.kh * g.kw;
  const area = g.oh * g.ow;
  const per = imagesPerChunk(depth, area, g.n);
  const cols = columns.get((<usize>depth * per * area) << 2);
  const grad = channelMajor.get((<usize>g.outChannels * per * area) << 2);
  if (g.n == 0) memory.fill(dw, 0, (<usize>(g.outChannels * depth)) << 2);
  for (let first = 0; first < g.n; first += per) {
    const count = min(per, g.n - first);
    const ld = count * area;
    for (let i = 0; i < count; i++) im2colImage(x, first + i, g, cols, i * area, ld);
    channelMajorCopy(dy, g.outChannels, area, first, count, grad, true);
    gemmNT(g.outChannels, depth, ld, grad, ld, cols, ld, dw, depth, first > 0);
  }
}
