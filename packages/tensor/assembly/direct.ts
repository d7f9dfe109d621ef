// Direct convolutions for small channel counts at stride 1 (LeNet's shapes): no column matrix.
// Each image is copied once into a zero-padded buffer, and the products read it in place at every
// tap's offset, four output pixels to a v128 (a row's last vector computes a few pixels past the
// row's end, which are not stored, or multiply zeros of the padded dY).
// - Forward: a 2-channel x 4-vector register block; weights packed per tap as channel pairs.
// - Input gradient: the same loop over dY padded by the dilated kernel extent minus the padding,
//   with the weights transposed and flipped (a full correlation).
// - Filter gradient: a 2-channel x 4-tap register block over dY's and X's pixels, its lane sums
//   kept in the work block from image to image and added across lanes at the end.
// Every output element is computed by one thread, in the same order whatever the thread count.
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
 * True when the direct kernels handle geometry `g`: stride 1, padding at most the dilated kernel
 * extent (so the input gradient is a correlation of dY padded by a non-negative amount), and at
 * most MAX_DIRECT_CHANNELS input and output channels.
 */
export function direct(g: Geometry): bool {
  return (
    g.sh == 1 &&
    g.sw == 1 &&
    g.ph <= (g.kh - 1) * g.dh &&
    g.pw <= (g.kw - 1) * g.dw &&
    g.c <= MAX_DIRECT_CHANNELS &&
    g.outChannels <= MAX_DIRECT_CHANNELS
  );
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
 * padding) for.
 */
function offsetsBytes(g: Geometry): usize {
  return align16(<usize>(blocks(max(g.c, g.outChannels) * g.kh * g.kw, VB) * VB) * 12);
}

/** Bytes of the padded image buffer (X or dY). */
function paddedBytes(g: Geometry): usize {
  return align16((<usize>max(paddedInputFloats(g), paddedGradientFloats(g))) << 2);
}

// A thread's work block: the packed weights, the padded image, the tap offsets, then the sums of
// the channel blocks of one image (forward, input gradient) or the widened dY and the lane sums (filter gradient).

/** Bytes of work space one thread needs for any of the direct kernels of geometry `g`. */
export function directWorkspace(g: Geometry): usize {
  const tile = (<usize>(CB * max(g.oh * blocks(g.ow, 4), g.h * blocks(g.w, 4)))) << 4;
  const rest = max(tile, align16((<usize>widenedFloats(g)) << 2) + sumsBytes(g));
  return packBytes(g) + paddedBytes(g) + offsetsBytes(g) + rest;
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
 * Adds tap `t`'s products to both channel planes of the tile (`plane` bytes apart): the pixel
 * vectors of rows [lo, hi) of `perRow` vectors, reading the padded image `xp` (row width `wp`) at the
 * tap's byte offset `o`, weights `w0` and `w1`.
 */
function addTap(
  xp: usize,
  wp: i32,
  o: usize,
  w0: v128,
  w1: v128,
  tile: usize,
  plane: usize,
  lo: i32,
  hi: i32,
  perRow: i32,
): void {
  let at = tile + ((<usize>(lo * perRow)) << 4);
  for (let oy = lo; oy < hi; oy++) {
    let x = xp + ((<usize>(oy * wp)) << 2) + o;
    for (let v = 0; v < perRow; v++) {
      const xv = v128.load(x);
      v128.store(at, madd(w0, xv, v128.load(at)));
      v128.store(at + plane, madd(w1, xv, v128.load(at + plane)));
      at += 16;
      x += 16;
    }
  }
}

/**
 * One image, channel blocks [block0, block1): y[channel, p] = Σ over taps t in order of the packed
 * weight times the padded image `xp` (row width `wp`) at pixel p's position plus the tap's byte
 * offset (`taps` of them in the tap table at `offsets`; the rows where a tap reads only padding
 * are skipped, as it would add zeros). The sums build up in `tile` (CB planes per block of `oh`
 * rows of whole vectors), four taps a pass over the pixels of each block in turn (so a pass reads
 * the same few input rows for every block), then their valid pixels go to y (`outChannels` planes
 * of `oh x ow`). `pack` holds the weights as [block][tap][CB].
 */
function forwardBlocks(
  xp: usize,
  wp: i32,
  offsets: usize,
  taps: i32,
  pack: usize,
  block0: i32,
  block1: i32,
  outChannels: i32,
  oh: i32,
  ow: i32,
  y: usize,
  tile: usize,
): void {
  const perRow = blocks(ow, 4);
  const plane = (<usize>(oh * perRow)) << 4;
  const blockBytes = CB * plane;
  const weightsBytes = (<usize>(taps * CB)) << 2;
  const ranges = at4(offsets, taps);
  memory.fill(tile, 0, <usize>(block1 - block0) * blockBytes);
  let t = 0;
  for (; t + VB <= taps; t += VB) {
    const o0 = <usize>load<i32>(at4(offsets, t));
    const o1 = <usize>load<i32>(at4(offsets, t + 1));
    const o2 = <usize>load<i32>(at4(offsets, t + 2));
    const o3 = <usize>load<i32>(at4(offsets, t + 3));
    const lo = min(
      min(load<i32>(at4(ranges, 2 * t)), load<i32>(at4(ranges, 2 * t + 2))),
      min(load<i32>(at4(ranges, 2 * t + 4)), load<i32>(at4(ranges, 2 * t + 6))),
    );
    const hi = max(
      max(load<i32>(at4(ranges, 2 * t + 1)), load<i32>(at4(ranges, 2 * t + 3))),
      max(load<i32>(at4(ranges, 2 * t + 5)), load<i32>(at4(ranges, 2 * t + 7))),
    );
    for (let block = block0; block < block1; block++) {
      const w = pack + <usize>block * weightsBytes + ((<usize>(t * CB)) << 2);
      const w00 = v128.load32_splat(w);
      const w10 = v128.load32_splat(w, 4);
      const w01 = v128.load32_splat(w, 8);
      const w11 = v128.load32_splat(w, 12);
      const w02 = v128.load32_splat(w, 16);
      const w12 = v128.load32_splat(w, 20);
      const w03 = v128.load32_splat(w, 24);
      const w13 = v128.load32_splat(w, 28);
      let at = tile + <usize>(block - block0) * blockBytes + ((<usize>(lo * perRow)) << 4);
      for (let oy = lo; oy < hi; oy++) {
        let x = xp + ((<usize>(oy * wp)) << 2);
        for (let v = 0; v < perRow; v++) {
          let a0 = v128.load(at);
          let a1 = v128.load(at + plane);
          let xv = v128.load(x + o0);
          a0 = madd(w00, xv, a0);
          a1 = madd(w10, xv, a1);
          xv = v128.load(x + o1);
          a0 = madd(w01, xv, a0);
          a1 = madd(w11, xv, a1);
          xv = v128.load(x + o2);
          a0 = madd(w02, xv, a0);
          a1 = madd(w12, xv, a1);
          xv = v128.load(x + o3);
          a0 = madd(w03, xv, a0);
          a1 = madd(w13, xv, a1);
          v128.store(at, a0);
          v128.store(at + plane, a1);
          at += 16;
          x += 16;
        }
      }
    }
  }
  for (; t < taps; t++) {
    const o = <usize>load<i32>(at4(offsets, t));
    for (let block = block0; block < block1; block++) {
      const w = pack + <usize>block * weightsBytes + ((<usize>(t * CB)) << 2);
      const at = tile + <usize>(block - block0) * blockBytes;
      const lo = load<i32>(at4(ranges, 2 * t));
      const hi = load<i32>(at4(ranges, 2 * t + 1));
      addTap(xp, wp, o, v128.load32_splat(w), v128.load32_splat(w, 4), at, plane, lo, hi, perRow);
    }
  }
  const channel0 = block0 * CB;
  for (let channel = channel0; channel < min(block1 * CB, outChannels); channel++)
    for (let oy = 0; oy < oh; oy++) {
      const src = tile + <usize>(channel - channel0) * plane + ((<usize>(oy * perRow)) << 4);
      memory.copy(at4(y, (channel * oh + oy) * ow), src, (<usize>ow) << 2);
    }
}

/**
 * Packs w ([O, C, kh, kw]) as [block][tap][CB] for `forwardBlock`: the forward pass's blocks of
 * output channels over taps (c, i, j), or, when `transposed`, the input gradient's blocks of input
 * channels over taps (o, kh−1−i, kw−1−j). Channels past the last are zeros.
 */
function packWeights(w: usize, g: Geometry, transposed: bool, pack: usize): void {
  const taps = g.kh * g.kw;
  const outer = transposed ? g.c : g.outChannels;
  const inner = transposed ? g.outChannels : g.c;
  let dst = pack;
  for (let block = 0; block < blocks(outer, CB); block++)
    for (let k = 0; k < inner; k++)
      for (let t = 0; t < taps; t++) {
        for (let q = 0; q < CB; q++) {
          const ch = block * CB + q;
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
 * The direct forward pass (x, w → y) or, when `input`, the input gradient (dy, w → dx): thread
 * `thread`'s share of the (image, channel block) pairs, with its work block `work`
 * (`directWorkspace` bytes). The input gradient is the forward loop over dY padded by the dilated
 * kernel extent less the padding, with output planes h x w.
 */
export function correlate(
  a: usize,
  w: usize,
  out: usize,
  g: Geometry,
  input: bool,
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
  const taps = inChannels * g.kh * g.kw;
  const perBlock = blocks(outChannels, CB);
  const u0 = shareStart(g.n * perBlock, thread, threads);
  const u1 = shareStart(g.n * perBlock, thread + 1, threads);
  if (u1 <= u0) return;
  const pack = work;
  const padded = pack + packBytes(g);
  const offsets = padded + paddedBytes(g);
  const tile = offsets + offsetsBytes(g); // where the filter gradient has its widened dY
  packWeights(w, g, input, pack);
  tapOffsets(offsets, taps, inChannels, hp, wp, top, ih, oh, g);
  for (let image = u0 / perBlock; image * perBlock < u1; image++) {
    padPlanes(at4(a, image * inChannels * ih * iw), inChannels, ih, iw, padded, hp, wp, top, left);
    const block0 = max(u0 - image * perBlock, 0);
    const block1 = min(u1 - image * perBlock, perBlock);
    const y = at4(out, image * outChannels * oh * ow);
    forwardBlocks(padded, wp, offsets, taps, pack, block0, block1, outChannels, oh, ow, y, tile);
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
  const depth = g.c * g.kh * g.kw;
  const tapBlocks = blocks(depth, VB);
  const units = blocks(g.outChannels, CB) * tapBlocks;
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
  const unitBytes = (<usize>(CB * VB)) << 4;
  memory.fill(sums + <usize>u0 * unitBytes, 0, <usize>(u1 - u0) * unitBytes);
  const imageFloats = g.c * g.h * g.w;
  const gradientFloats = g.outChannels * g.oh * g.ow;
  for (let n = 0; n < g.n; n++) {
    padPlanes(at4(x, n * imageFloats), g.c, g.h, g.w, padded, hp, wp, g.ph, g.pw);
    widenRows(at4(dy, n * gradientFloats), g.outChannels, g.oh, g.ow, wide, perRow * 4);
    for (let u = u0; u < u1; u++) {
      const at = sums + <usize>u * unitBytes;
      filterBlock(
        padded,
        wp,
        wide,
        g.oh,
        perRow,
        g.outChannels,
        u / tapBlocks,
        at4(offsets, (u % tapBlocks) * VB),
        at,
      );
    }
  }
  for (let u = u0; u < u1; u++)
    for (let q = 0; q < CB; q++) {
      const o = (u / tapBlocks) * CB + q;
      if (o >= g.outChannels) continue;
      for (let k = 0; k < VB; k++) {
        const t = (u % tapBlocks) * VB + k;
        if (t >= depth) continue;
        const s = v128.load(sums + <usize>u * unitBytes + ((<usize>(q * VB + k)) << 4));
        const lanes =
          f32x4.extract_lane(s, 0) +
          f32x4.extract_lane(s, 1) +
          (f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3));
        store<f32>(at4(dw, o * depth + t), lanes);
      }
    }
}
