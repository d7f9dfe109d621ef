// Direct convolutions for small channel counts at stride 1 (LeNet's shapes): no column matrix.
// Each image (or group of four images) is copied once into a zero-padded buffer, and the products
// read it in place at every tap's offset (a flat table or list of tap offsets, one loop over it: V8
// spills unrolled or deeply nested SIMD loops, and it hoists a loop's loads, so a block's
// accumulators plus its loaded vectors must fit). Register blocks hold 8 v128 sums (x64 gives V8 15
// usable xmm registers).
// - Forward, output channels a multiple of WIDE: 16 channels x 2 pixels of a row, vectorized over
//   the channels (weights packed per tap as 16 channels), sums stored lane by lane.
// - Forward, otherwise, when four images to a v128 waste no more lanes than four pixels of a row
//   (`lanesFaster`: LeNet's batch of 64): the image-lane kernel. Each group of four images is
//   interleaved pixel by pixel (lane l: image l, a 4 x 4 transpose per four pixels) into a padded
//   buffer; register blocks are 2 channels x a 2 x 2 tile of output pixels, each summing only the
//   taps that read data for some pixel of the tile (tap lists built once per call for each class of
//   tile row and column: no lane is spent past a row's end, little on padding); the sums go to the
//   four images with two shuffles and 64-bit lane stores.
// - Forward, otherwise: 2 channels x 4 pixel vectors (four output pixels to a v128; a row's last
//   vector computes a few pixels past the row's end, which are not stored); weights packed per tap
//   as channel pairs.
// - Input gradient: the same loops (and the same choice between them) over dY padded by the dilated
//   kernel extent minus the padding, with the weights transposed and flipped (a full correlation).
// - Filter gradient: 16 output channels x 2 taps over dY copied pixel-major when the output
//   channels are a multiple of WIDE; otherwise 2 channels x 4 taps over dY's and X's pixel vectors,
//   the lane sums kept in the work block from image to image and added across lanes at the end.
//   For kernels at least four wide at dilation 1 a unit's four taps are the first four of one
//   kernel row (one address, immediate offsets), the remaining columns' taps four at a time; a
//   single tap left over (LeNet's 25th) goes to one unit of all the output channels (at most TAIL)
//   instead of a four-tap unit of each channel pair.
// Every output element is computed by one thread, in the same order whatever the thread count and
// whichever kernel computes it: the sum over the taps (c, i, j) in order from zero, skipping only
// taps that read padding (forward, input gradient), or the lane sums over the images, rows and
// pixel vectors in order (filter gradient).
import { addChannelBias } from './bias';
import { align16, shareStart, workOf } from './parallel';
import { at4 } from './plan';
import { madd } from './simd';
import { Geometry } from './window';

/** Channels of the direct kernels' register block (output channels; input channels for dX). */
const CB: i32 = 2;
/** Pixel vectors (forward, input gradient) or taps (filter gradient) of the register block. */
const VB: i32 = 4;
/** Largest input or output channel count for which `direct` is chosen. */
const MAX_DIRECT_CHANNELS: i32 = 32;
/** Floats of zeros after a padded buffer, for the vectors that run past its last row. */
const SLACK: i32 = 4;

/**
 * True when the direct kernels handle geometry `g`: every operand finite (they skip padding taps,
 * see `Geometry.allTaps`), stride 1, padding at most the dilated kernel
 * extent (so the input gradient is a correlation of dY padded by a non-negative amount), and at
 * most MAX_DIRECT_CHANNELS input and output channels.
 */
export function direct(g: Geometry): bool {
  return (
    g.allTaps == 0 &&
    g.sh == 1 &&
    g.sw == 1 &&
    g.ph <= (g.kh - 1) * g.dh &&
    g.pw <= (g.kw - 1) * g.dw &&
    g.c <= MAX_DIRECT_CHANNELS &&
    g.outChannels <= MAX_DIRECT_CHANNELS
  );
}

/** Stores a CB x VB register block's eight sums at `out`, one v128 after another. */
@inline
function storeBlock(out: usize, a00: v128, a01: v128, a02: v128, a03: v128, a10: v128, a11: v128, a12: v128, a13: v128): void {
  v128.store(out, a00);
  v128.store(out, a01, 16);
  v128.store(out, a02, 32);
  v128.store(out, a03, 48);
  v128.store(out, a10, 64);
  v128.store(out, a11, 80);
  v128.store(out, a12, 96);
  v128.store(out, a13, 112);
}

/** `count` rounded up to a multiple of `block`, divided by `block`. */
function blocks(count: i32, block: i32): i32 {
  return (count + block - 1) / block;
}

/** Floats of X padded for the forward pass and the filter gradient (C planes, then SLACK). */
function paddedInputFloats(g: Geometry): i32 {
  return g.c * (g.h + 2 * g.ph) * (g.w + 2 * g.pw) + SLACK;
}

/** Floats of dY padded for the input gradient (O planes of the input's size plus the kernel extent). */
function paddedGradientFloats(g: Geometry): i32 {
  return g.outChannels * (g.h + (g.kh - 1) * g.dh) * (g.w + (g.kw - 1) * g.dw) + SLACK;
}

/** Floats of dY with rows widened to whole vectors (zeros past each row's end), for dW. */
function widenedFloats(g: Geometry): i32 {
  return g.outChannels * g.oh * blocks(g.ow, 4) * 4;
}

/** Bytes of the packed weights: the larger of the forward and the transposed packing. */
function packBytes(g: Geometry): usize {
  const taps = g.kh * g.kw;
  const forward = blocks(g.outChannels, CB) * CB * g.c * taps;
  const input = blocks(g.c, CB) * CB * g.outChannels * taps;
  return align16((<usize>max(forward, input)) << 2);
}

/** Bytes of the filter gradient's lane sums: CB x VB v128 per (channel block, tap block). */
function sumsBytes(g: Geometry): usize {
  const depth = g.c * g.kh * g.kw;
  return (<usize>(blocks(g.outChannels, CB) * blocks(depth, VB) * CB * VB)) << 4;
}

/**
 * Bytes of the tap table: per tap of the deeper of the forward and transposed loops (whole
 * blocks), its byte offset, then the first and past-the-last output rows it reads data (not
 * padding) for, then (filter gradient) its unit's byte offsets.
 */
function offsetsBytes(g: Geometry): usize {
  return align16(<usize>(blocks(max(g.c, g.outChannels) * g.kh * g.kw, VB) * VB) * 16);
}

/** Bytes of the padded image buffer (X or dY). */
function paddedBytes(g: Geometry): usize {
  return align16((<usize>max(paddedInputFloats(g), paddedGradientFloats(g))) << 2);
}

// A thread's work block: the packed weights, the padded image, the tap offsets, then the sums of
// the channel blocks of one image (forward, input gradient) or the widened dY and the lane sums (filter gradient).

/** Bytes of the image-lane buffer: `paddedBytes` with four images interleaved per pixel, then a slack pixel. */
function laneBytes(g: Geometry): usize {
  return align16((<usize>max(paddedInputFloats(g), paddedGradientFloats(g))) << 4) + 16;
}

/** Bytes of work space one thread needs for any of the direct kernels of geometry `g`. */
export function directWorkspace(g: Geometry): usize {
  const tile = (<usize>(CB * max(g.oh * blocks(g.ow, 4), g.h * blocks(g.w, 4)))) << 4;
  const rest = max(tile, align16((<usize>widenedFloats(g)) << 2) + sumsBytes(g));
  const planar = paddedBytes(g) + rest;
  const lanes = laneBytes(g) + ((<usize>(CB * LANE_TILE)) << 4) + max(laneListsBytes(g, false), laneListsBytes(g, true));
  return packBytes(g) + offsetsBytes(g) + max(planar, lanes);
}

/**
 * Writes the tap table at `offsets` for `count` taps (≥ the taps of `channels` channels of the
 * kernel of `g`; those past the last repeat the first): each tap's byte offset in a padded image
 * (planes of `hp x wp`), then at `offsets + 4·count` the first and past-the-last of the `oh` output
 * rows whose input row for the tap is data (rows [top, top + rows) of a plane), not padding.
 */
function tapOffsets(
  offsets: usize,
  count: i32,
  channels: i32,
  hp: i32,
  wp: i32,
  top: i32,
  rows: i32,
  oh: i32,
  g: Geometry,
): void {
  const taps = g.kh * g.kw;
  const ranges = at4(offsets, count);
  for (let t = 0; t < count; t++) {
    const tap = t < channels * taps ? t : 0;
    const c = tap / taps;
    const i = (tap % taps) / g.kw;
    const j = tap % g.kw;
    store<i32>(at4(offsets, t), ((c * hp + i * g.dh) * wp + j * g.dw) << 2);
    store<i32>(at4(ranges, 2 * t), min(max(top - i * g.dh, 0), oh));
    store<i32>(at4(ranges, 2 * t + 1), max(min(top + rows - i * g.dh, oh), 0));
  }
}

/**
 * Copies `channels` planes of `h x w` at `src` into planes of `hp x wp` at `dst`, at row `top` and
 * column `left`, zeros around them and SLACK zeros after the last plane.
 */
function padPlanes(
  src: usize,
  channels: i32,
  h: i32,
  w: i32,
  dst: usize,
  hp: i32,
  wp: i32,
  top: i32,
  left: i32,
): void {
  memory.fill(dst, 0, (<usize>(channels * hp * wp + SLACK)) << 2);
  const rowBytes = (<usize>w) << 2;
  for (let c = 0; c < channels; c++)
    for (let y = 0; y < h; y++)
      memory.copy(at4(dst, (c * hp + top + y) * wp + left), at4(src, (c * h + y) * w), rowBytes);
}

/**
 * One register block: CB output channels x VB pixel vectors, summed over the taps (c, i, j) of
 * `channels` channels, kernel rows [i0, i1) (the rows that read data, not padding, for some vector
 * of the block) and every kernel column, in that order, with the accumulators in registers. Vector
 * k reads the padded image at `pk` plus the tap's byte offset (c·planeBytes + i·rowBytes +
 * j·colBytes). `w` holds the block's weights as [c][i][j][CB] (`taps` = kh·kw taps a channel).
 * The CB x VB sums go to `out` (channel-major: out[q·VB + k]).
 */
function registerBlock(
  w: usize,
  table: usize,
  taps: i32,
  kw: i32,
  channels: i32,
  i0: i32,
  i1: i32,
  p0: usize,
  p1: usize,
  p2: usize,
  p3: usize,
  out: usize,
): void {
  let a00 = f32x4.splat(0),
    a01 = f32x4.splat(0),
    a02 = f32x4.splat(0),
    a03 = f32x4.splat(0);
  let a10 = f32x4.splat(0),
    a11 = f32x4.splat(0),
    a12 = f32x4.splat(0),
    a13 = f32x4.splat(0);
  // Taps [t0, t1) of each channel (all of them at once when no kernel row is skipped).
  const full = i0 == 0 && i1 * kw == taps;
  const segments = full ? 1 : channels;
  for (let segment = 0; segment < segments; segment++) {
    const t0 = full ? 0 : segment * taps + i0 * kw;
    const t1 = full ? channels * taps : segment * taps + i1 * kw;
    let wt = w + ((<usize>(t0 * CB)) << 2);
    let o = table + ((<usize>t0) << 2);
    const end = table + ((<usize>t1) << 2);
    while (o < end) {
      const offset = <usize>load<i32>(o);
      const w0 = v128.load32_splat(wt);
      const w1 = v128.load32_splat(wt, 4);
      let xv = v128.load(p0 + offset);
      a00 = madd(w0, xv, a00);
      a10 = madd(w1, xv, a10);
      xv = v128.load(p1 + offset);
      a01 = madd(w0, xv, a01);
      a11 = madd(w1, xv, a11);
      xv = v128.load(p2 + offset);
      a02 = madd(w0, xv, a02);
      a12 = madd(w1, xv, a12);
      xv = v128.load(p3 + offset);
      a03 = madd(w0, xv, a03);
      a13 = madd(w1, xv, a13);
      wt += CB << 2;
      o += 4;
    }
  }
  storeBlock(out, a00, a01, a02, a03, a10, a11, a12, a13);
}

/** `registerBlock` for four consecutive vectors of one row (at p0, p0 + 16, p0 + 32, p0 + 48): one address a tap. */
function registerBlockRow(
  w: usize,
  table: usize,
  taps: i32,
  kw: i32,
  channels: i32,
  i0: i32,
  i1: i32,
  p0: usize,
  out: usize,
): void {
  let a00 = f32x4.splat(0),
    a01 = f32x4.splat(0),
    a02 = f32x4.splat(0),
    a03 = f32x4.splat(0);
  let a10 = f32x4.splat(0),
    a11 = f32x4.splat(0),
    a12 = f32x4.splat(0),
    a13 = f32x4.splat(0);
  // Taps [t0, t1) of each channel (all of them at once when no kernel row is skipped).
  const full = i0 == 0 && i1 * kw == taps;
  const segments = full ? 1 : channels;
  for (let segment = 0; segment < segments; segment++) {
    const t0 = full ? 0 : segment * taps + i0 * kw;
    const t1 = full ? channels * taps : segment * taps + i1 * kw;
    let wt = w + ((<usize>(t0 * CB)) << 2);
    let o = table + ((<usize>t0) << 2);
    const end = table + ((<usize>t1) << 2);
    while (o < end) {
      const offset = <usize>load<i32>(o);
      const w0 = v128.load32_splat(wt);
      const w1 = v128.load32_splat(wt, 4);
      const x = p0 + offset;
      let xv = v128.load(x);
      a00 = madd(w0, xv, a00);
      a10 = madd(w1, xv, a10);
      xv = v128.load(x, 16);
      a01 = madd(w0, xv, a01);
      a11 = madd(w1, xv, a11);
      xv = v128.load(x, 32);
      a02 = madd(w0, xv, a02);
      a12 = madd(w1, xv, a12);
      xv = v128.load(x, 48);
      a03 = madd(w0, xv, a03);
      a13 = madd(w1, xv, a13);
      wt += CB << 2;
      o += 4;
    }
  }
  storeBlock(out, a00, a01, a02, a03, a10, a11, a12, a13);
}

/**
 * One image, channel blocks [block0, block1): y[channel, p] = Σ over taps (c, i, j) in order of the
 * packed weight times the padded image `xp` (`channels` planes of `hp x wp`) at pixel p's position
 * plus the tap's offset; kernel rows that read only padding for every vector of a register block are
 * skipped (they would add zeros). The pixel vectors (`perRow` a row of `oh` rows, flat in row order)
 * go VB at a time to `registerBlock` (a last short group repeats its last vector), whose sums are
 * stored to y (`outChannels` planes of `oh x ow`; a row's last vector only up to the row's end).
 * The input rows that hold data are [top, top + rows) of a plane. `pack` holds the weights as
 * [block][c][i][j][CB]; `sums` is CB·VB v128 of scratch.
 */
function forwardBlocks(
  xp: usize,
  channels: i32,
  hp: i32,
  wp: i32,
  top: i32,
  rows: i32,
  g: Geometry,
  pack: usize,
  block0: i32,
  block1: i32,
  outChannels: i32,
  oh: i32,
  ow: i32,
  y: usize,
  sums: usize,
  table: usize,
): void {
  const perRow = blocks(ow, 4);
  const vectors = oh * perRow;
  const taps = g.kh * g.kw;
  const blockWeights = (<usize>(channels * taps * CB)) << 2;
  const yPlane = (<usize>(oh * ow)) << 2;
  // The position (row oy, first column ox) of the next vector, stepped without divisions.
  let oy = 0;
  let ox = 0;
  for (let first = 0; first < vectors; first += VB) {
    const count = min(VB, vectors - first);
    const rowFirst = oy;
    // Each vector's byte offset in xp and in a y plane, and its valid lanes (the last one repeated).
    let x0: usize = 0,
      x1: usize = 0,
      x2: usize = 0,
      x3: usize = 0;
    let y0: usize = 0,
      y1: usize = 0,
      y2: usize = 0,
      y3: usize = 0;
    let n0 = 0,
      n1 = 0,
      n2 = 0,
      n3 = 0;
    let rowLast = oy;
    for (let k = 0; k < VB; k++) {
      const xo = (<usize>(oy * wp + ox)) << 2;
      const yo = (<usize>(oy * ow + ox)) << 2;
      const n = min(ow - ox, 4);
      if (k == 0) {
        x0 = xo;
        y0 = yo;
        n0 = n;
      } else if (k == 1) {
        x1 = xo;
        y1 = yo;
        n1 = n;
      } else if (k == 2) {
        x2 = xo;
        y2 = yo;
        n2 = n;
      } else {
        x3 = xo;
        y3 = yo;
        n3 = n;
      }
      rowLast = oy;
      if (k < count - 1 || k == VB - 1) {
        ox += 4;
        if (ox >= ow) {
          ox = 0;
          oy++;
        }
      }
    }
    if (count < VB) {
      // The repeated vectors are not stored.
      if (count < 2) n1 = 0;
      if (count < 3) n2 = 0;
      n3 = 0;
    }
    // Kernel row i reads input row oy + i·dh: data when top ≤ oy + i·dh < top + rows.
    const reach = top + rows - 1 - rowFirst;
    let i0 = 0;
    let i1 = 0;
    if (reach >= 0) {
      i0 = min((max(top - rowLast, 0) + g.dh - 1) / g.dh, g.kh);
      i1 = max(min(reach / g.dh + 1, g.kh), i0);
    }
    for (let block = block0; block < block1; block++) {
      const w = pack + <usize>block * blockWeights;
      if (x1 == x0 + 16 && x2 == x0 + 32 && x3 == x0 + 48)
        registerBlockRow(w, table, taps, g.kw, channels, i0, i1, xp + x0, sums);
      else registerBlock(w, table, taps, g.kw, channels, i0, i1, xp + x0, xp + x1, xp + x2, xp + x3, sums);
      const c0 = block * CB;
      const q1 = min(CB, outChannels - c0);
      for (let q = 0; q < q1; q++) {
        const plane = y + <usize>(c0 + q) * yPlane;
        const s = sums + ((<usize>(q * VB)) << 4);
        storeLanes(plane + y0, v128.load(s), n0);
        storeLanes(plane + y1, v128.load(s, 16), n1);
        storeLanes(plane + y2, v128.load(s, 32), n2);
        storeLanes(plane + y3, v128.load(s, 48), n3);
      }
    }
  }
}

/** Stores the first `n` lanes (0 to 4) of `v` at `at`. */
// @ts-ignore: decorator
@inline
function storeLanes(at: usize, v: v128, n: i32): void {
  if (n >= 4) v128.store(at, v);
  else if (n > 0) {
    store<f32>(at, f32x4.extract_lane(v, 0));
    if (n > 1) store<f32>(at, f32x4.extract_lane(v, 1), 4);
    if (n > 2) store<f32>(at, f32x4.extract_lane(v, 2), 8);
  }
}

/** Output channels of the channel-vectorized register block (four v128 of channels). */
const WIDE: i32 = 16;

/**
 * One image, channel blocks [block0, block1) of WIDE channels, vectorized over the output channels
 * (for output channel counts that are a multiple of WIDE: no lane is wasted on a row's end). Each
 * register block is WIDE channels x 2 neighbouring pixels of a row, summed over the taps (c, i, j)
 * in order (kernel rows that read only padding skipped), so every output element gets the same sum
 * in the same order as in `forwardBlocks`. `pack` holds the weights as [block][c][i][j][WIDE].
 */
function forwardWide(
  xp: usize,
  channels: i32,
  hp: i32,
  wp: i32,
  top: i32,
  rows: i32,
  g: Geometry,
  pack: usize,
  block0: i32,
  block1: i32,
  oh: i32,
  ow: i32,
  y: usize,
  table: usize,
): void {
  const taps = g.kh * g.kw;
  const channelWeights = (<usize>(taps * WIDE)) << 2;
  const yPlane = (<usize>(oh * ow)) << 2;
  for (let oy = 0; oy < oh; oy++) {
    const reach = top + rows - 1 - oy;
    if (reach < 0) {
      for (let channel = block0 * WIDE; channel < block1 * WIDE; channel++)
        memory.fill(y + <usize>channel * yPlane + ((<usize>(oy * ow)) << 2), 0, (<usize>ow) << 2);
      continue;
    }
    const i0 = min((max(top - oy, 0) + g.dh - 1) / g.dh, g.kh);
    const i1 = max(min(reach / g.dh + 1, g.kh), i0);
    for (let block = block0; block < block1; block++) {
      const w = pack + <usize>block * channelWeights * channels;
      const yBlock = y + <usize>(block * WIDE) * yPlane + ((<usize>(oy * ow)) << 2);
      for (let ox = 0; ox < ow; ox += 2) {
        const p = xp + ((<usize>(oy * wp + ox)) << 2);
        let a0 = f32x4.splat(0),
          a1 = f32x4.splat(0),
          a2 = f32x4.splat(0),
          a3 = f32x4.splat(0);
        let b0 = f32x4.splat(0),
          b1 = f32x4.splat(0),
          b2 = f32x4.splat(0),
          b3 = f32x4.splat(0);
        // Taps [t0, t1) of each channel (all of them at once when no kernel row is skipped).
        const full = i0 == 0 && i1 == g.kh;
        const segments = full ? 1 : channels;
        for (let segment = 0; segment < segments; segment++) {
          const t0 = full ? 0 : segment * taps + i0 * g.kw;
          const t1 = full ? channels * taps : segment * taps + i1 * g.kw;
          let wt = w + ((<usize>(t0 * WIDE)) << 2);
          let o = table + ((<usize>t0) << 2);
          const end = table + ((<usize>t1) << 2);
          while (o < end) {
            const x = p + <usize>load<i32>(o);
            const x0 = v128.load32_splat(x);
            const x1 = v128.load32_splat(x, 4);
            let wv = v128.load(wt);
            a0 = madd(wv, x0, a0);
            b0 = madd(wv, x1, b0);
            wv = v128.load(wt, 16);
            a1 = madd(wv, x0, a1);
            b1 = madd(wv, x1, b1);
            wv = v128.load(wt, 32);
            a2 = madd(wv, x0, a2);
            b2 = madd(wv, x1, b2);
            wv = v128.load(wt, 48);
            a3 = madd(wv, x0, a3);
            b3 = madd(wv, x1, b3);
            wt += WIDE << 2;
            o += 4;
          }
        }
        const at = yBlock + ((<usize>ox) << 2);
        const second = ox + 1 < ow;
        storeColumn(at, yPlane, a0, b0, second);
        storeColumn(at + 4 * yPlane, yPlane, a1, b1, second);
        storeColumn(at + 8 * yPlane, yPlane, a2, b2, second);
        storeColumn(at + 12 * yPlane, yPlane, a3, b3, second);
      }
    }
  }
}

/**
 * Stores four channels' values of two neighbouring pixels: lane q of `a` (and of `b`, the next
 * pixel, when `second`) at `at + q·plane` (and 4 bytes further).
 */
function storeColumn(at: usize, plane: usize, a: v128, b: v128, second: bool): void {
  store<f32>(at, f32x4.extract_lane(a, 0));
  store<f32>(at + plane, f32x4.extract_lane(a, 1));
  store<f32>(at + 2 * plane, f32x4.extract_lane(a, 2));
  store<f32>(at + 3 * plane, f32x4.extract_lane(a, 3));
  if (second) {
    store<f32>(at, f32x4.extract_lane(b, 0), 4);
    store<f32>(at + plane, f32x4.extract_lane(b, 1), 4);
    store<f32>(at + 2 * plane, f32x4.extract_lane(b, 2), 4);
    store<f32>(at + 3 * plane, f32x4.extract_lane(b, 3), 4);
  }
}

/**
 * Packs w ([O, C, kh, kw]) as [block][tap][cb] for `forwardBlock`: the forward pass's blocks of
 * output channels over taps (c, i, j), or, when `transposed`, the input gradient's blocks of input
 * channels over taps (o, kh−1−i, kw−1−j). Channels past the last are zeros.
 */
function packWeights(w: usize, g: Geometry, transposed: bool, cb: i32, pack: usize): void {
  const taps = g.kh * g.kw;
  const outer = transposed ? g.c : g.outChannels;
  const inner = transposed ? g.outChannels : g.c;
  let dst = pack;
  for (let block = 0; block < blocks(outer, cb); block++)
    for (let k = 0; k < inner; k++)
      for (let t = 0; t < taps; t++) {
        for (let q = 0; q < cb; q++) {
          const ch = block * cb + q;
          let value: f32 = 0;
          if (ch < outer) {
            const o = transposed ? k : ch;
            const c = transposed ? ch : k;
            value = load<f32>(at4(w, (o * g.c + c) * taps + (transposed ? taps - 1 - t : t)));
          }
          store<f32>(dst, value);
          dst += 4;
        }
      }
}

/**
 * True when the image-lane kernel (`correlateLanes`) is chosen for the forward pass or, when
 * `input`, the input gradient of `g`: when it uses at least as large a share of its lanes (images
 * in groups of four) as the pixel-vector kernel (a row's pixels in vectors of four).
 */
function lanesFaster(g: Geometry, input: bool): bool {
  const ow = input ? g.w : g.ow;
  return g.n * blocks(ow, 4) >= ow * blocks(g.n, 4);
}

/**
 * The direct forward pass (x, w → y) or, when `input`, the input gradient (dy, w → dx): thread
 * `thread`'s share of the (image, channel block) pairs, with its work block `work`
 * (`directWorkspace` bytes). The input gradient is the forward loop over dY padded by the dilated
 * kernel extent less the padding, with output planes h x w. `bias` (forward only; 0 for none) is
 * added to the thread's planes of each image or image group as it finishes them.
 */
export function correlate(
  a: usize,
  w: usize,
  out: usize,
  g: Geometry,
  input: bool,
  bias: usize,
  work: usize,
  thread: i32,
  threads: i32,
): void {
  const inChannels = input ? g.outChannels : g.c;
  const outChannels = input ? g.c : g.outChannels;
  const ih = input ? g.oh : g.h;
  const iw = input ? g.ow : g.w;
  const hp = input ? g.h + (g.kh - 1) * g.dh : g.h + 2 * g.ph;
  const wp = input ? g.w + (g.kw - 1) * g.dw : g.w + 2 * g.pw;
  const top = input ? (g.kh - 1) * g.dh - g.ph : g.ph;
  const left = input ? (g.kw - 1) * g.dw - g.pw : g.pw;
  const oh = input ? g.h : g.oh;
  const ow = input ? g.w : g.ow;
  const wide = outChannels % WIDE == 0;
  const cb = wide ? WIDE : CB;
  const perBlock = blocks(outChannels, cb);
  const pack = work;
  const table = pack + packBytes(g);
  const padded = table + offsetsBytes(g);
  if (!wide && lanesFaster(g, input)) {
    const units = blocks(g.n, 4) * perBlock;
    if (shareStart(units, thread + 1, threads) <= shareStart(units, thread, threads)) return;
    packWeights(w, g, input, cb, pack);
    const lists = padded + laneBytes(g) + ((<usize>(CB * LANE_TILE)) << 4);
    correlateLanes(a, out, g, inChannels, outChannels, ih, iw, hp, wp, top, left, oh, ow, pack, padded, lists, bias, thread, threads);
    return;
  }
  const u0 = shareStart(g.n * perBlock, thread, threads);
  const u1 = shareStart(g.n * perBlock, thread + 1, threads);
  if (u1 <= u0) return;
  const sums = padded + paddedBytes(g);
  packWeights(w, g, input, cb, pack);
  // The tap table: each tap's byte offset in the padded image, in (c, i, j) order.
  tapOffsets(table, inChannels * g.kh * g.kw, inChannels, hp, wp, top, ih, oh, g);
  for (let image = u0 / perBlock; image * perBlock < u1; image++) {
    padPlanes(at4(a, image * inChannels * ih * iw), inChannels, ih, iw, padded, hp, wp, top, left);
    const block0 = max(u0 - image * perBlock, 0);
    const block1 = min(u1 - image * perBlock, perBlock);
    const y = at4(out, image * outChannels * oh * ow);
    if (wide) forwardWide(padded, inChannels, hp, wp, top, ih, g, pack, block0, block1, oh, ow, y, table);
    else forwardBlocks(padded, inChannels, hp, wp, top, ih, g, pack, block0, block1, outChannels, oh, ow, y, sums, table);
    addChannelBias(out, bias, image, 1, outChannels, block0 * cb, min(block1 * cb, outChannels), oh * ow);
  }
}

/** Pixels of the image-lane register block (a 2 x 2 tile of output pixels). */
const LANE_TILE: i32 = 4;

/**
 * Copies images [n0, n0 + count) (count ≤ 4) of `channels` planes of `h x w` at `src` into the
 * image-lane buffer `dst`: planes of `hp x wp` pixels of four floats (lane l: image n0 + l), the
 * image at row `top` and column `left`. The padding around it (and the slack pixel after the last
 * plane) must be zeros already; lanes past `count` are zeroed.
 */
function padLanes(
  src: usize,
  n0: i32,
  count: i32,
  channels: i32,
  h: i32,
  w: i32,
  dst: usize,
  hp: i32,
  wp: i32,
  top: i32,
  left: i32,
): void {
  const plane = h * w;
  const imageBytes = (<usize>(channels * plane)) << 2;
  if (count < 4) memory.fill(dst, 0, ((<usize>(channels * hp * wp)) << 4) + 16);
  for (let c = 0; c < channels; c++) {
    let s = at4(src, (n0 * channels + c) * plane);
    for (let y = 0; y < h; y++) {
      let d = dst + ((<usize>((c * hp + top + y) * wp + left)) << 4);
      let x = 0;
      if (count == 4) {
        // Four pixels of the four images at once: a 4 x 4 transpose.
        for (; x + 4 <= w; x += 4) {
          const r0 = v128.load(s);
          const r1 = v128.load(s + imageBytes);
          const r2 = v128.load(s + 2 * imageBytes);
          const r3 = v128.load(s + 3 * imageBytes);
          const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5);
          const t1 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
          const t2 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
          const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
          v128.store(d, i32x4.shuffle(t0, t1, 0, 1, 4, 5));
          v128.store(d, i32x4.shuffle(t0, t1, 2, 3, 6, 7), 16);
          v128.store(d, i32x4.shuffle(t2, t3, 0, 1, 4, 5), 32);
          v128.store(d, i32x4.shuffle(t2, t3, 2, 3, 6, 7), 48);
          s += 16;
          d += 64;
        }
      }
      for (; x < w; x++) {
        for (let l = 0; l < count; l++) store<f32>(d + ((<usize>l) << 2), load<f32>(s + <usize>l * imageBytes));
        s += 4;
        d += 16;
      }
    }
  }
}

/**
 * The kernel rows [i0, i1) that read data (not padding) for some output row of the tile rows
 * starting at `oy` (two, or one when `tall` is false), packed as i0 | i1 << 16: kernel row i reads
 * input row oy + i·dh, data when top ≤ oy + i·dh < top + ih. Likewise for columns.
 */
function tapRange(oy: i32, tall: bool, top: i32, ih: i32, dh: i32, kh: i32): i32 {
  const reach = top + ih - 1 - oy;
  if (reach < 0) return 0;
  const i0 = min((max(top - oy - (tall ? 1 : 0), 0) + dh - 1) / dh, kh);
  const i1 = max(min(reach / dh + 1, kh), i0);
  return i0 | (i1 << 16);
}

/**
 * Distinct tap ranges of the tile rows (or columns) of an output of `oh` rows; both ends only
 * decrease from one tile row to the next, so equal ranges are neighbours.
 */
function rangeClasses(oh: i32, top: i32, ih: i32, dh: i32, kh: i32): i32 {
  let classes = 0;
  let last = -1;
  for (let oy = 0; oy < oh; oy += 2) {
    const range = tapRange(oy, oy + 1 < oh, top, ih, dh, kh);
    if (range != last) classes++;
    last = range;
  }
  return classes;
}

/** Bytes of the image-lane tap lists of the forward pass or, when `input`, of the input gradient. */
function laneListsBytes(g: Geometry, input: bool): usize {
  const inChannels = input ? g.outChannels : g.c;
  const top = input ? (g.kh - 1) * g.dh - g.ph : g.ph;
  const left = input ? (g.kw - 1) * g.dw - g.pw : g.pw;
  const ih = input ? g.oh : g.h;
  const iw = input ? g.ow : g.w;
  const oh = input ? g.h : g.oh;
  const ow = input ? g.w : g.ow;
  const rows = rangeClasses(oh, top, ih, g.dh, g.kh);
  const cols = rangeClasses(ow, left, iw, g.dw, g.kw);
  const index = blocks(oh, 2) + blocks(ow, 2) + 2 * rows * cols;
  return align16((<usize>index) << 2) + ((<usize>(rows * cols * inChannels * g.kh * g.kw)) << 3);
}

/**
 * Writes the image-lane tap lists at `lists`: the class of each tile row, then of each tile column
 * (i32 each), then per (row class, column class) the byte offset (from `lists`) and the length of
 * its list, then the lists: per tap (c, i, j) of the class's kernel rows and columns, in that
 * order, its byte offset in the image-lane buffer and its weights' byte offset in a block of the
 * packed weights. Returns the byte offset of the heads.
 */
function laneLists(
  lists: usize,
  inChannels: i32,
  hp: i32,
  wp: i32,
  top: i32,
  left: i32,
  ih: i32,
  iw: i32,
  oh: i32,
  ow: i32,
  g: Geometry,
): usize {
  const tileRows = blocks(oh, 2);
  const tileCols = blocks(ow, 2);
  const rowClasses = rangeClasses(oh, top, ih, g.dh, g.kh);
  const colClasses = rangeClasses(ow, left, iw, g.dw, g.kw);
  const heads = (<usize>(tileRows + tileCols)) << 2;
  let entry = align16((<usize>(tileRows + tileCols + 2 * rowClasses * colClasses)) << 2);
  let rc = -1;
  let last = -1;
  for (let ty = 0; ty < tileRows; ty++) {
    const rows = tapRange(2 * ty, 2 * ty + 1 < oh, top, ih, g.dh, g.kh);
    if (rows != last) rc++;
    store<i32>(at4(lists, ty), rc);
    if (rows == last) continue;
    last = rows;
    let cc = -1;
    let lastCols = -1;
    for (let tx = 0; tx < tileCols; tx++) {
      const cols = tapRange(2 * tx, 2 * tx + 1 < ow, left, iw, g.dw, g.kw);
      if (cols != lastCols) cc++;
      if (rc == 0) store<i32>(at4(lists, tileRows + tx), cc);
      if (cols == lastCols) continue;
      lastCols = cols;
      const start = entry;
      for (let c = 0; c < inChannels; c++)
        for (let i = rows & 0xffff; i < rows >>> 16; i++)
          for (let j = cols & 0xffff; j < cols >>> 16; j++) {
            store<i32>(lists + entry, ((c * hp + i * g.dh) * wp + j * g.dw) << 4);
            store<i32>(lists + entry, (((c * g.kh + i) * g.kw + j) * CB) << 2, 4);
            entry += 8;
          }
      const head = lists + heads + ((<usize>(rc * colClasses + cc)) << 3);
      store<i32>(head, <i32>start);
      store<i32>(head, <i32>((entry - start) >> 3), 4);
    }
  }
  return heads;
}

/**
 * Stores a 2 x 2 tile of pixels of four images (pixel k of image l in lane l of `vk`, pixels in
 * row order): image l's first row at `y + l·imageBytes`, its second `rowBytes` further.
 */
// @ts-ignore: decorator
@inline
function storeTile(y: usize, imageBytes: usize, rowBytes: usize, v0: v128, v1: v128, v2: v128, v3: v128): void {
  const top01 = i32x4.shuffle(v0, v1, 0, 4, 1, 5);
  const bottom01 = i32x4.shuffle(v2, v3, 0, 4, 1, 5);
  const top23 = i32x4.shuffle(v0, v1, 2, 6, 3, 7);
  const bottom23 = i32x4.shuffle(v2, v3, 2, 6, 3, 7);
  v128.store64_lane(y, top01, 0);
  v128.store64_lane(y + rowBytes, bottom01, 0);
  v128.store64_lane(y + imageBytes, top01, 1);
  v128.store64_lane(y + imageBytes + rowBytes, bottom01, 1);
  v128.store64_lane(y + 2 * imageBytes, top23, 0);
  v128.store64_lane(y + 2 * imageBytes + rowBytes, bottom23, 0);
  v128.store64_lane(y + 3 * imageBytes, top23, 1);
  v128.store64_lane(y + 3 * imageBytes + rowBytes, bottom23, 1);
}

/**
 * The image-lane register block: CB output channels x LANE_TILE output pixels, four images in the
 * lanes of each v128, summed over the `count` taps of the list at `list` in order (each tap's byte
 * offset in the lane buffer, then its weights' byte offset from `w`, which holds the block's
 * weights as [c][i][j][CB]). Pixel k reads the lane buffer at `pk` plus the tap's offset. The sums
 * go to the output at `y` when `whole` (a whole tile: two channels `channelBytes` apart, four
 * images `imageBytes` apart, two rows `rowBytes` apart), else to `out` (channel-major:
 * out[q·LANE_TILE + k]).
 */
// @ts-ignore: decorator
@inline
function laneBlock(
  w: usize,
  list: usize,
  count: i32,
  p0: usize,
  p1: usize,
  p2: usize,
  p3: usize,
  out: usize,
  whole: bool,
  y: usize,
  channelBytes: usize,
  imageBytes: usize,
  rowBytes: usize,
): void {
  let a00 = f32x4.splat(0),
    a01 = f32x4.splat(0),
    a02 = f32x4.splat(0),
    a03 = f32x4.splat(0);
  let a10 = f32x4.splat(0),
    a11 = f32x4.splat(0),
    a12 = f32x4.splat(0),
    a13 = f32x4.splat(0);
  let e = list;
  const end = list + ((<usize>count) << 3);
  while (e < end) {
    const offset = <usize>load<i32>(e);
    const wt = w + <usize>load<i32>(e, 4);
    const w0 = v128.load32_splat(wt);
    const w1 = v128.load32_splat(wt, 4);
    let xv = v128.load(p0 + offset);
    a00 = madd(w0, xv, a00);
    a10 = madd(w1, xv, a10);
    xv = v128.load(p1 + offset);
    a01 = madd(w0, xv, a01);
    a11 = madd(w1, xv, a11);
    xv = v128.load(p2 + offset);
    a02 = madd(w0, xv, a02);
    a12 = madd(w1, xv, a12);
    xv = v128.load(p3 + offset);
    a03 = madd(w0, xv, a03);
    a13 = madd(w1, xv, a13);
    e += 8;
  }
  if (whole) {
    storeTile(y, imageBytes, rowBytes, a00, a01, a02, a03);
    storeTile(y + channelBytes, imageBytes, rowBytes, a10, a11, a12, a13);
    return;
  }
  storeBlock(out, a00, a01, a02, a03, a10, a11, a12, a13);
}

/**
 * `correlate` vectorized over the images (four to a v128): thread `thread`'s share of the
 * (group of four images, channel block) pairs. Each group is copied once into the image-lane buffer
 * `lanes`; the output is computed in 2 x 2 tiles of pixels, each summing, per channel block, only
 * the taps that read data for some pixel of the tile (the lists at `lists`), so no lane is spent on
 * a pixel past a row's end and little on padding. Every output element gets the same sum in the
 * same order as in `forwardBlocks` (the taps skipped add zeros).
 */
function correlateLanes(
  a: usize,
  out: usize,
  g: Geometry,
  inChannels: i32,
  outChannels: i32,
  ih: i32,
  iw: i32,
  hp: i32,
  wp: i32,
  top: i32,
  left: i32,
  oh: i32,
  ow: i32,
  pack: usize,
  lanes: usize,
  lists: usize,
  bias: usize,
  thread: i32,
  threads: i32,
): void {
  const perBlock = blocks(outChannels, CB);
  const groups = blocks(g.n, 4);
  const u0 = shareStart(groups * perBlock, thread, threads);
  const u1 = shareStart(groups * perBlock, thread + 1, threads);
  if (u1 <= u0) return;
  const heads = lists + laneLists(lists, inChannels, hp, wp, top, left, ih, iw, oh, ow, g);
  const colClasses = rangeClasses(ow, left, iw, g.dw, g.kw);
  const tileRows = blocks(oh, 2);
  const blockWeights = (<usize>(inChannels * g.kh * g.kw * CB)) << 2;
  const sums = lanes + laneBytes(g);
  const rowBytes = (<usize>wp) << 4;
  const area = oh * ow;
  const rowOut = (<usize>ow) << 2;
  const channelBytes = (<usize>area) << 2;
  const imageBytes = (<usize>(outChannels * area)) << 2;
  // The padding stays zeros from group to group (`padLanes` writes only the images).
  memory.fill(lanes, 0, ((<usize>(inChannels * hp * wp)) << 4) + 16);
  for (let group = u0 / perBlock; group * perBlock < u1; group++) {
    const n0 = group * 4;
    const count = min(4, g.n - n0);
    padLanes(a, n0, count, inChannels, ih, iw, lanes, hp, wp, top, left);
    const block0 = max(u0 - group * perBlock, 0);
    const block1 = min(u1 - group * perBlock, perBlock);
    for (let oy = 0; oy < oh; oy += 2) {
      const tall = oy + 1 < oh;
      const rowHeads = heads + ((<usize>(load<i32>(at4(lists, oy >> 1)) * colClasses)) << 3);
      for (let ox = 0; ox < ow; ox += 2) {
        const broad = ox + 1 < ow;
        const head = rowHeads + ((<usize>load<i32>(at4(lists, tileRows + (ox >> 1)))) << 3);
        const list = lists + <usize>load<i32>(head);
        const taps = load<i32>(head, 4);
        // A tile cut by the last row or column repeats its pixels (computed, not stored).
        const p0 = lanes + ((<usize>(oy * wp + ox)) << 4);
        const p1 = broad ? p0 + 16 : p0;
        const p2 = tall ? p0 + rowBytes : p0;
        const p3 = tall ? p1 + rowBytes : p1;
        const pixel = oy * ow + ox;
        const whole = count == 4 && broad && tall;
        for (let block = block0; block < block1; block++) {
          const c0 = block * CB;
          const y = at4(out, (n0 * outChannels + c0) * area + pixel);
          if (whole && c0 + CB <= outChannels) {
            laneBlock(pack + <usize>block * blockWeights, list, taps, p0, p1, p2, p3, sums, true, y, channelBytes, imageBytes, rowOut);
            continue;
          }
          laneBlock(pack + <usize>block * blockWeights, list, taps, p0, p1, p2, p3, sums, false, 0, 0, 0, 0);
          const q1 = min(CB, outChannels - c0);
          for (let q = 0; q < q1; q++) {
            const s = sums + ((<usize>(q * LANE_TILE)) << 4);
            for (let l = 0; l < count; l++) {
              const y = at4(out, ((n0 + l) * outChannels + c0 + q) * area + pixel);
              const lane = s + ((<usize>l) << 2);
              store<f32>(y, load<f32>(lane));
              if (broad) store<f32>(y, load<f32>(lane, 16), 4);
              if (tall) {
                store<f32>(y + rowOut, load<f32>(lane, 32));
                if (broad) store<f32>(y + rowOut, load<f32>(lane, 48), 4);
              }
            }
          }
        }
      }
    }
    addChannelBias(out, bias, n0, count, outChannels, block0 * CB, min(block1 * CB, outChannels), area);
  }
}

/** Copies `channels` planes of `rows x width` at `src` into rows of `wide` floats at `dst`, zeros after each row. */
function widenRows(src: usize, channels: i32, rows: i32, width: i32, dst: usize, wide: i32): void {
  if (wide == width) {
    memory.copy(dst, src, (<usize>(channels * rows * width)) << 2);
    return;
  }
  memory.fill(dst, 0, (<usize>(channels * rows * wide)) << 2);
  for (let r = 0; r < channels * rows; r++)
    memory.copy(at4(dst, r * wide), at4(src, r * width), (<usize>width) << 2);
}

/**
 * Adds one image's share to the lane sums at `sums` of channel block `block` and the VB taps whose
 * byte offsets in `xp` are at `offsets`: sums[q][k] += dY[block·CB + q, p] · xp[p + tap k] over the
 * pixel vectors p (dY widened to `perRow` vectors a row, zeros past each row's end).
 */
function filterBlock(
  xp: usize,
  wp: i32,
  wide: usize,
  oh: i32,
  perRow: i32,
  outChannels: i32,
  block: i32,
  offsets: usize,
  sums: usize,
): void {
  const planeBytes = (<usize>(oh * perRow)) << 4;
  const d0At = wide + <usize>(block * CB) * planeBytes;
  const d1At = block * CB + 1 < outChannels ? d0At + planeBytes : d0At;
  const o0 = <usize>load<i32>(offsets);
  const o1 = <usize>load<i32>(offsets, 4);
  const o2 = <usize>load<i32>(offsets, 8);
  const o3 = <usize>load<i32>(offsets, 12);
  let s00 = v128.load(sums),
    s01 = v128.load(sums, 16),
    s02 = v128.load(sums, 32),
    s03 = v128.load(sums, 48);
  let s10 = v128.load(sums, 64),
    s11 = v128.load(sums, 80),
    s12 = v128.load(sums, 96),
    s13 = v128.load(sums, 112);
  let d: usize = 0;
  for (let oy = 0; oy < oh; oy++) {
    let row = xp + ((<usize>(oy * wp)) << 2);
    for (let v = 0; v < perRow; v++) {
      const d0 = v128.load(d0At + d);
      const d1 = v128.load(d1At + d);
      let x = v128.load(row + o0);
      s00 = madd(d0, x, s00);
      s10 = madd(d1, x, s10);
      x = v128.load(row + o1);
      s01 = madd(d0, x, s01);
      s11 = madd(d1, x, s11);
      x = v128.load(row + o2);
      s02 = madd(d0, x, s02);
      s12 = madd(d1, x, s12);
      x = v128.load(row + o3);
      s03 = madd(d0, x, s03);
      s13 = madd(d1, x, s13);
      d += 16;
      row += 16;
    }
  }
  v128.store(sums, s00);
  v128.store(sums, s01, 16);
  v128.store(sums, s02, 32);
  v128.store(sums, s03, 48);
  v128.store(sums, s10, 64);
  v128.store(sums, s11, 80);
  v128.store(sums, s12, 96);
  v128.store(sums, s13, 112);
}

/**
 * `filterBlock` for four taps of one kernel row at dilation 1, whose byte offsets in `xp` are
 * `offset` + 0, 4, 8 and 12 (one address a pixel vector, immediate offsets):
 * sums[q][j] += dY[block·CB + q, p] · xp[p + offset + 4j].
 */
function filterRowBlock(
  xp: usize,
  wp: i32,
  wide: usize,
  oh: i32,
  perRow: i32,
  outChannels: i32,
  block: i32,
  offset: usize,
  sums: usize,
): void {
  const planeBytes = (<usize>(oh * perRow)) << 4;
  const d0At = wide + <usize>(block * CB) * planeBytes;
  const d1At = block * CB + 1 < outChannels ? d0At + planeBytes : d0At;
  let s00 = v128.load(sums),
    s01 = v128.load(sums, 16),
    s02 = v128.load(sums, 32),
    s03 = v128.load(sums, 48);
  let s10 = v128.load(sums, 64),
    s11 = v128.load(sums, 80),
    s12 = v128.load(sums, 96),
    s13 = v128.load(sums, 112);
  const rowSkip = ((<usize>wp) << 2) - ((<usize>perRow) << 4);
  let d: usize = 0;
  let x = xp + offset;
  for (let oy = 0; oy < oh; oy++) {
    const end = d + ((<usize>perRow) << 4);
    while (d < end) {
      const d0 = v128.load(d0At + d);
      const d1 = v128.load(d1At + d);
      let xv = v128.load(x);
      s00 = madd(d0, xv, s00);
      s10 = madd(d1, xv, s10);
      xv = v128.load(x, 4);
      s01 = madd(d0, xv, s01);
      s11 = madd(d1, xv, s11);
      xv = v128.load(x, 8);
      s02 = madd(d0, xv, s02);
      s12 = madd(d1, xv, s12);
      xv = v128.load(x, 12);
      s03 = madd(d0, xv, s03);
      s13 = madd(d1, xv, s13);
      d += 16;
      x += 16;
    }
    x += rowSkip;
  }
  v128.store(sums, s00);
  v128.store(sums, s01, 16);
  v128.store(sums, s02, 32);
  v128.store(sums, s03, 48);
  v128.store(sums, s10, 64);
  v128.store(sums, s11, 80);
  v128.store(sums, s12, 96);
  v128.store(sums, s13, 112);
}

/** Most output channels `filterTail` sums at once (6 accumulators, 6 dY vectors and X's vector in registers). */
const TAIL: i32 = 6;

/**
 * `filterBlock` for one tap (byte offset `offset` in `xp`) and every output channel (at most
 * TAIL; the missing ones repeat the last): sums[o] += dY[o, p] · xp[p + offset]. For a last tap
 * that would otherwise take a whole four-tap unit of every channel pair.
 */
function filterTail(xp: usize, wp: i32, wide: usize, oh: i32, perRow: i32, outChannels: i32, offset: usize, sums: usize): void {
  const planeBytes = (<usize>(oh * perRow)) << 4;
  const d0At = wide;
  const d1At = wide + <usize>min(1, outChannels - 1) * planeBytes;
  const d2At = wide + <usize>min(2, outChannels - 1) * planeBytes;
  const d3At = wide + <usize>min(3, outChannels - 1) * planeBytes;
  const d4At = wide + <usize>min(4, outChannels - 1) * planeBytes;
  const d5At = wide + <usize>min(5, outChannels - 1) * planeBytes;
  let s0 = v128.load(sums),
    s1 = v128.load(sums, 16),
    s2 = v128.load(sums, 32);
  let s3 = v128.load(sums, 48),
    s4 = v128.load(sums, 64),
    s5 = v128.load(sums, 80);
  const rowSkip = ((<usize>wp) << 2) - ((<usize>perRow) << 4);
  let d: usize = 0;
  let x = xp + offset;
  for (let oy = 0; oy < oh; oy++) {
    const end = d + ((<usize>perRow) << 4);
    while (d < end) {
      const xv = v128.load(x);
      s0 = madd(v128.load(d0At + d), xv, s0);
      s1 = madd(v128.load(d1At + d), xv, s1);
      s2 = madd(v128.load(d2At + d), xv, s2);
      s3 = madd(v128.load(d3At + d), xv, s3);
      s4 = madd(v128.load(d4At + d), xv, s4);
      s5 = madd(v128.load(d5At + d), xv, s5);
      d += 16;
      x += 16;
    }
    x += rowSkip;
  }
  v128.store(sums, s0);
  v128.store(sums, s1, 16);
  v128.store(sums, s2, 32);
  v128.store(sums, s3, 48);
  v128.store(sums, s4, 64);
  v128.store(sums, s5, 80);
}

/**
 * The tap (index into c·kh·kw + i·kw + j) of slot `k` (0 to 3) of unit `unit` of a channel block in
 * `filterGradient` for kernels at least 4 wide at dilation 1, or -1 for a slot past the last tap:
 * units [0, rows) are the first four taps of kernel row `unit` (rows = C·kh); the rest take the
 * remaining taps (j ≥ 4) four at a time in (row, j) order.
 */
function rowUnitTap(unit: i32, k: i32, rows: i32, kw: i32): i32 {
  if (unit < rows) return unit * kw + k;
  const index = (unit - rows) * VB + k;
  const rest = kw - VB;
  if (index >= rows * rest) return -1;
  return (index / rest) * kw + VB + (index % rest);
}

/**
 * The filter gradient vectorized over WIDE output channels (output channel counts that are a
 * multiple of WIDE): units of (block of WIDE channels, pair of taps), a contiguous range per thread;
 * per image, dY is copied pixel-major ([block][pixel][WIDE]), and each unit adds, pixel by pixel
 * in row order, dY's WIDE channels times X at the pixel plus each tap's offset. Each element of dW
 * is summed over the images, then the pixels, in order, whatever the thread count.
 */
function filterGradientWide(
  x: usize,
  dy: usize,
  dw: usize,
  g: Geometry,
  work: usize,
  thread: i32,
  threads: i32,
): void {
  const depth = g.c * g.kh * g.kw;
  const pairs = blocks(depth, 2);
  const units = (g.outChannels / WIDE) * pairs;
  const u0 = shareStart(units, thread, threads);
  const u1 = shareStart(units, thread + 1, threads);
  if (u1 <= u0) return;
  const padded = work + packBytes(g);
  const offsets = padded + paddedBytes(g);
  const major = offsets + offsetsBytes(g);
  const sums = major + align16((<usize>widenedFloats(g)) << 2);
  const hp = g.h + 2 * g.ph;
  const wp = g.w + 2 * g.pw;
  const area = g.oh * g.ow;
  tapOffsets(offsets, depth, g.c, hp, wp, g.ph, g.h, g.oh, g);
  const unitBytes: usize = 8 << 4;
  memory.fill(sums + <usize>u0 * unitBytes, 0, <usize>(u1 - u0) * unitBytes);
  const imageFloats = g.c * g.h * g.w;
  const gradientFloats = g.outChannels * area;
  const blockBytes = (<usize>(area * WIDE)) << 2;
  const rowSkip = (<usize>(wp - g.ow)) << 2;
  for (let n = 0; n < g.n; n++) {
    padPlanes(at4(x, n * imageFloats), g.c, g.h, g.w, padded, hp, wp, g.ph, g.pw);
    // dY pixel-major: major[block][p][q] = dY[block·WIDE + q, p].
    const src = at4(dy, n * gradientFloats);
    for (let o = 0; o < g.outChannels; o++) {
      let d = major + <usize>(o / WIDE) * blockBytes + ((<usize>(o % WIDE)) << 2);
      let s = at4(src, o * area);
      for (let p = 0; p < area; p++) {
        store<f32>(d, load<f32>(s));
        d += WIDE << 2;
        s += 4;
      }
    }
    for (let u = u0; u < u1; u++) {
      const t0 = (u % pairs) * 2;
      const t1 = min(t0 + 1, depth - 1);
      const o0 = <usize>load<i32>(at4(offsets, t0));
      const o1 = <usize>load<i32>(at4(offsets, t1));
      const at = sums + <usize>u * unitBytes;
      let a0 = v128.load(at),
        a1 = v128.load(at, 16),
        a2 = v128.load(at, 32),
        a3 = v128.load(at, 48);
      let b0 = v128.load(at, 64),
        b1 = v128.load(at, 80),
        b2 = v128.load(at, 96),
        b3 = v128.load(at, 112);
      let d = major + <usize>(u / pairs) * blockBytes;
      let row = padded;
      for (let oy = 0; oy < g.oh; oy++) {
        const end = row + ((<usize>g.ow) << 2);
        while (row < end) {
          const x0 = v128.load32_splat(row + o0);
          const x1 = v128.load32_splat(row + o1);
          let dv = v128.load(d);
          a0 = madd(dv, x0, a0);
          b0 = madd(dv, x1, b0);
          dv = v128.load(d, 16);
          a1 = madd(dv, x0, a1);
          b1 = madd(dv, x1, b1);
          dv = v128.load(d, 32);
          a2 = madd(dv, x0, a2);
          b2 = madd(dv, x1, b2);
          dv = v128.load(d, 48);
          a3 = madd(dv, x0, a3);
          b3 = madd(dv, x1, b3);
          d += WIDE << 2;
          row += 4;
        }
        row += rowSkip;
      }
      v128.store(at, a0);
      v128.store(at, a1, 16);
      v128.store(at, a2, 32);
      v128.store(at, a3, 48);
      v128.store(at, b0, 64);
      v128.store(at, b1, 80);
      v128.store(at, b2, 96);
      v128.store(at, b3, 112);
    }
  }
  for (let u = u0; u < u1; u++) {
    const t0 = (u % pairs) * 2;
    const block = u / pairs;
    const at = sums + <usize>u * unitBytes;
    for (let q = 0; q < WIDE; q++) {
      const o = block * WIDE + q;
      store<f32>(at4(dw, o * depth + t0), load<f32>(at + ((<usize>q) << 2)));
      if (t0 + 1 < depth) store<f32>(at4(dw, o * depth + t0 + 1), load<f32>(at + ((<usize>q) << 2), 64));
    }
  }
}

/**
 * The direct filter gradient (x, dy → dw): thread `thread` computes a contiguous range of
 * (channel block, tap block) units of dW over every image in order, with its work block `work`
 * (`directWorkspace` bytes), so each element of dW is summed in the same order whatever the
 * thread count.
 */
export function filterGradient(
  x: usize,
  dy: usize,
  dw: usize,
  g: Geometry,
  work: usize,
  thread: i32,
  threads: i32,
): void {
  if (g.outChannels % WIDE == 0) {
    filterGradientWide(x, dy, dw, g, work, thread, threads);
    return;
  }
  const depth = g.c * g.kh * g.kw;
  const tapBlocks = blocks(depth, VB);
  // Kernels at least VB wide at dilation 1: a unit's four taps in one kernel row where they can
  // be (one address, immediate offsets), the remaining columns' taps four at a time (the same
  // number of units).
  const byRows = g.dw == 1 && g.kw >= VB;
  const kernelRows = g.c * g.kh;
  // A single tap left after the four-tap units (LeNet's 25 = 6·4 + 1) goes to one unit of every
  // output channel (at most TAIL) instead of a unit of each channel pair.
  const alone = byRows && (kernelRows * (g.kw - VB)) % VB == 1 && g.outChannels > CB && g.outChannels <= TAIL;
  const perBlock = alone ? tapBlocks - 1 : tapBlocks;
  const mainUnits = blocks(g.outChannels, CB) * perBlock;
  const units = mainUnits + (alone ? 1 : 0);
  const u0 = shareStart(units, thread, threads);
  const u1 = shareStart(units, thread + 1, threads);
  if (u1 <= u0) return;
  const padded = work + packBytes(g);
  const offsets = padded + paddedBytes(g);
  const wide = offsets + offsetsBytes(g);
  const sums = wide + align16((<usize>widenedFloats(g)) << 2);
  const hp = g.h + 2 * g.ph;
  const wp = g.w + 2 * g.pw;
  const perRow = blocks(g.ow, 4);
  tapOffsets(offsets, tapBlocks * VB, g.c, hp, wp, g.ph, g.h, g.oh, g); // taps past the last are not stored
  // Per unit of a channel block, its four taps' byte offsets (the first tap's for empty slots).
  const unitOffsets = offsets + ((<usize>(tapBlocks * VB)) << 2) * 3;
  for (let unit = 0; unit < tapBlocks; unit++)
    for (let k = 0; k < VB; k++) {
      const tap = byRows ? rowUnitTap(unit, k, kernelRows, g.kw) : unit * VB + k;
      const valid = tap >= 0 && tap < depth;
      store<i32>(at4(unitOffsets, unit * VB + k), load<i32>(at4(offsets, valid ? tap : 0)));
    }
  const unitBytes = (<usize>(CB * VB)) << 4;
  memory.fill(sums + <usize>u0 * unitBytes, 0, <usize>(u1 - u0) * unitBytes);
  const imageFloats = g.c * g.h * g.w;
  const gradientFloats = g.outChannels * g.oh * g.ow;
  for (let n = 0; n < g.n; n++) {
    padPlanes(at4(x, n * imageFloats), g.c, g.h, g.w, padded, hp, wp, g.ph, g.pw);
    // Rows that are whole vectors already (LeNet's 28) are read in place.
    const src = at4(dy, n * gradientFloats);
    const rows = perRow * 4 == g.ow ? src : wide;
    if (rows == wide) widenRows(src, g.outChannels, g.oh, g.ow, wide, perRow * 4);
    for (let u = u0; u < u1; u++) {
      const at = sums + <usize>u * unitBytes;
      if (u == mainUnits) {
        const offset = <usize>load<i32>(at4(unitOffsets, perBlock * VB));
        filterTail(padded, wp, rows, g.oh, perRow, g.outChannels, offset, at);
        continue;
      }
      const unit = u % perBlock;
      const unitAt = at4(unitOffsets, unit * VB);
      if (byRows && unit < kernelRows)
        filterRowBlock(padded, wp, rows, g.oh, perRow, g.outChannels, u / perBlock, <usize>load<i32>(unitAt), at);
      else filterBlock(padded, wp, rows, g.oh, perRow, g.outChannels, u / perBlock, unitAt, at);
    }
  }
  if (u1 > mainUnits) {
    const t = rowUnitTap(perBlock, 0, kernelRows, g.kw);
    for (let o = 0; o < g.outChannels; o++) {
      const s = v128.load(sums + <usize>mainUnits * unitBytes + ((<usize>o) << 4));
      const lanes =
        f32x4.extract_lane(s, 0) +
        f32x4.extract_lane(s, 1) +
        (f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3));
      store<f32>(at4(dw, o * depth + t), lanes);
    }
  }
  for (let u = u0; u < min(u1, mainUnits); u++)
    for (let q = 0; q < CB; q++) {
      const o = (u / perBlock) * CB + q;
      if (o >= g.outChannels) continue;
      for (let k = 0; k < VB; k++) {
        const unit = u % perBlock;
        const t = byRows ? rowUnitTap(unit, k, kernelRows, g.kw) : unit * VB + k;
        if (t < 0 || t >= depth) continue;
        const s = v128.load(sums + <usize>u * unitBytes + ((<usize>(q * VB + k)) << 4));
        const lanes =
          f32x4.extract_lane(s, 0) +
          f32x4.extract_lane(s, 1) +
          (f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3));
        store<f32>(at4(dw, o * depth + t), lanes);
      }
    }
}
