// im2col / col2im and the convolutions built on them, over chunks of images whose column matrix
// stays in cache (at most CHUNK_ELEMENTS floats): forward Y = W·cols(X); input gradient
// dX = col2im(Wᵀ·dY); filter gradient dW = dY·cols(X)ᵀ by dot products (gemmNT). W is seen as the
// [O, C·kh·kw] matrix; Y and dY as [O, images·OH·OW], copied from or to NCHW per chunk.
import { addChannelBias } from './bias';
import { correlate, direct, directWorkspace, filterGradient } from './direct';
import { gemmNT } from './dot';
import { gemm, gemmWorkspace } from './gemm';
import { align16, shareStart, workOf } from './parallel';
import { at4 } from './plan';
import { Geometry, validHi, validLo } from './window';

/**
 * Largest column matrix of one chunk, in floats (256 KiB, so im2col's output is still in L2 when
 * GEMM reads it), unless a single image needs more. Whole-batch chunks measured 2x slower.
 */
const CHUNK_ELEMENTS: i32 = 1 << 16;

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

/**
 * Unfolds rows [r0, r1) of image `image` of x (row r = channel·kh·kw + i·kw + j) into rows
 * 0 … r1 − r0 of `cols` (row stride `ld`), starting at column `colStart`.
 */
export function im2colRows(
  x: usize,
  image: i32,
  g: Geometry,
  cols: usize,
  colStart: i32,
  ld: i32,
  r0: i32,
  r1: i32,
): void {
  const area = g.oh * g.ow;
  const taps = g.kh * g.kw;
  for (let r = r0; r < r1; r++) {
    const c = r / taps;
    const i = (r % taps) / g.kw;
    const j = r % g.kw;
    const plane = (image * g.c + c) * g.h * g.w;
    const oyLo = validLo(g.oh, g.sh, g.ph, i * g.dh);
    const oyHi = validHi(g.oh, g.sh, g.ph, i * g.dh, g.h);
    const oxLo = validLo(g.ow, g.sw, g.pw, j * g.dw);
    const oxHi = validHi(g.ow, g.sw, g.pw, j * g.dw, g.w);
    const rowStart = (r - r0) * ld + colStart;
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

/** Unfolds every row of image `image` of x into `cols` (row stride `ld`) starting at column `colStart`. */
export function im2colImage(x: usize, image: i32, g: Geometry, cols: usize, colStart: i32, ld: i32): void {
  im2colRows(x, image, g, cols, colStart, ld, 0, g.c * g.kh * g.kw);
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

/** Bytes of a thread's column matrix for geometry `g` (one chunk of images). */
function columnsBytes(g: Geometry): usize {
  const depth = g.c * g.kh * g.kw;
  const area = g.oh * g.ow;
  return align16((<usize>depth * imagesPerChunk(depth, area, g.n) * area) << 2);
}

/** Bytes of a thread's channel-major copy of Y or dY (one chunk of images). */
function majorBytes(g: Geometry): usize {
  const area = g.oh * g.ow;
  const per = imagesPerChunk(g.c * g.kh * g.kw, area, g.n);
  return align16((<usize>g.outChannels * per * area) << 2);
}

/** Bytes of work space one thread needs for any of the three convolution kernels of geometry `g`. */
export function convWorkspace(g: Geometry): usize {
  if (direct(g)) return directWorkspace(g);
  const depth = g.c * g.kh * g.kw;
  const ld = imagesPerChunk(depth, g.oh * g.ow, g.n) * g.oh * g.ow;
  const forward = gemmWorkspace(g.outChannels, ld, depth);
  const input = gemmWorkspace(depth, ld, g.outChannels);
  return columnsBytes(g) + majorBytes(g) + max(forward, input);
}

// A thread's work block (at `ws + thread·wsBytes`, `convWorkspace` bytes) holds its column
// matrix, then its channel-major rows (`columnsBytes` further), then its GEMM panels.

/** True when none of the `n` float32 at `x` is ±Inf or NaN (exponent bits all set). */
export function allFinite(x: usize, n: i32): bool {
  const exponent = i32x4.splat(0x7f800000);
  let seen = i32x4.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const at = x + ((<usize>i) << 2);
    seen = v128.or(seen, i32x4.eq(v128.and(v128.load(at), exponent), exponent));
    seen = v128.or(seen, i32x4.eq(v128.and(v128.load(at, 16), exponent), exponent));
  }
  if (v128.any_true(seen)) return false;
  for (; i < n; i++) {
    if ((load<i32>(x + ((<usize>i) << 2)) & 0x7f800000) == 0x7f800000) return false;
  }
  return true;
}

/** `conv`'s kind: Y = W ⊛ X (operands x, w, y). */
export const CONV_FORWARD: i32 = 0;
/** `conv`'s kind: the input gradient dX = col2im(Wᵀ·dY) (operands dy, w, dx). */
export const CONV_INPUT_GRADIENT: i32 = 1;
/** `conv`'s kind: the filter gradient dW = dY·cols(X)ᵀ (operands x, dy, dw). */
export const CONV_FILTER_GRADIENT: i32 = 2;

/**
 * The convolutions the pool runs: `kind` on operands (a, b, out) of the geometry at `g`, thread
 * `thread`'s share of `threads`, with its work block at `ws + thread·wsBytes` (`convWorkspace`
 * bytes). `bias` (CONV_FORWARD only; 0 for none) is the float32 `[outChannels]` added to each
 * output channel as the thread finishes its part of an image.
 *
 * - CONV_FORWARD (x, w, y) and CONV_INPUT_GRADIENT (dy, w, dx) go by chunks of images (as many as
 *   fit CHUNK_ELEMENTS floats of columns; a contiguous range of chunks per thread): im2col,
 *   Y = W·cols, copy to NCHW; or copy dY channel-major, cols = Wᵀ·dY, col2im into dX.
 * - CONV_FILTER_GRADIENT (x, dy, dw): dW = dY·cols(X)ᵀ; the thread computes a contiguous range of
 *   dW's columns (rows of the column matrix, channel·kh·kw + i·kw + j) over every chunk in order,
 *   so each element of dW is summed in the same order whatever the thread count.
 */
export function conv(
  kind: i32,
  a: usize,
  b: usize,
  out: usize,
  g: Geometry,
  bias: usize,
  ws: usize,
  wsBytes: usize,
  thread: i32,
  threads: i32,
): void {
  if (direct(g)) {
    const work = workOf(ws, wsBytes, thread);
    if (kind == CONV_FILTER_GRADIENT) filterGradient(a, b, out, g, work, thread, threads);
    else
      correlate(
        a,
        b,
        out,
        g,
        kind == CONV_INPUT_GRADIENT,
        kind == CONV_FORWARD ? bias : 0,
        work,
        thread,
        threads,
      );
    return;
  }
  const depth = g.c * g.kh * g.kw;
  const area = g.oh * g.ow;
  const per = imagesPerChunk(depth, area, g.n);
  const columns = workOf(ws, wsBytes, thread);
  const major = columns + columnsBytes(g);
  const panels = major + majorBytes(g);
  if (kind == CONV_FILTER_GRADIENT) {
    const r0 = shareStart(depth, thread, threads);
    const r1 = shareStart(depth, thread + 1, threads);
    if (r1 <= r0) return;
    const outAt = out + ((<usize>r0) << 2);
    if (g.n == 0)
      for (let o = 0; o < g.outChannels; o++)
        memory.fill(outAt + ((<usize>(o * depth)) << 2), 0, (<usize>(r1 - r0)) << 2);
    for (let first = 0; first < g.n; first += per) {
      const count = min(per, g.n - first);
      const ld = count * area;
      for (let i = 0; i < count; i++) im2colRows(a, first + i, g, columns, i * area, ld, r0, r1);
      channelMajorCopy(b, g.outChannels, area, first, count, major, true);
      gemmNT(g.outChannels, r1 - r0, ld, major, ld, columns, ld, outAt, depth, first > 0);
    }
    return;
  }
  const chunks = (g.n + per - 1) / per;
  const imageBytes = (<usize>(g.c * g.h * g.w)) << 2;
  const end = shareStart(chunks, thread + 1, threads);
  for (let chunk = shareStart(chunks, thread, threads); chunk < end; chunk++) {
    const first = chunk * per;
    const count = min(per, g.n - first);
    const ld = count * area;
    if (kind == CONV_FORWARD) {
      for (let i = 0; i < count; i++) im2colImage(a, first + i, g, columns, i * area, ld);
      gemm(g.outChannels, ld, depth, b, depth, 1, columns, ld, 1, major, ld, false, 0, panels, 0, 0, 1);
      channelMajorCopy(out, g.outChannels, area, first, count, major, false);
      addChannelBias(out, bias, first, count, g.outChannels, 0, g.outChannels, area);
    } else {
      memory.fill(out + <usize>first * imageBytes, 0, <usize>count * imageBytes);
      channelMajorCopy(a, g.outChannels, area, first, count, major, true);
      gemm(depth, ld, g.outChannels, b, 1, depth, major, ld, 1, columns, ld, false, 0, panels, 0, 0, 1);
      for (let i = 0; i < count; i++) col2imImage(columns, i * area, ld, g, out, first + i);
    }
  }
}
