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
  return <usize>(blocks(g.outChannels, CB) * blocks(depth, VB) * CB * VB) << 4;
}

/** Bytes of the filter gradient's tap offsets (one i32 per tap, whole blocks). */
function offsetsBytes(g: Geometry): usize {
  return align16((<usize>(blocks(g.c * g.kh * g.kw, VB) * VB)) << 2);
}

/** Bytes of work space one thread needs for any of the direct kernels of geometry `g`. */
export function directWorkspace(g: Geometry): usize {
  const rest = align16((<usize>widenedFloats(g)) << 2) + sumsBytes(g) + offsetsBytes(g);
  return packBytes(g) + paddedBytes(g) + max(WINDOW_BYTES, rest);
}

/** Bytes of the padded image buffer (X or dY). */
function paddedBytes(g: Geometry): usize {
  return align16((<usize>max(paddedInputFloats(g), paddedGradientFloats(g))) << 2);
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

/** Stores the first `lanes` lanes of `v` at `at`. */
function storeLanes(at: usize, v: v128, lanes: i32): void {
  if (lanes >= 4) {
    v128.store(at, v);
    return;
  }
  store<f32>(at, f32x4.extract_lane(v, 0));
  if (lanes > 1) store<f32>(at, f32x4.extract_lane(v, 1), 4);
  if (lanes > 2) store<f32>(at, f32x4.extract_lane(v, 2), 8);
}

/** Stores vector `v` (pixel vector number `index` of `count`) of channel `channel` (< `channels`) into y. */
function storeVector(
  y: usize,
  channel: i32,
  channels: i32,
  index: i32,
  count: i32,
  oh: i32,
  ow: i32,
  v: v128,
): void {
  if (channel >= channels || index >= count) return;
  const perRow = blocks(ow, 4);
  const oy = index / perRow;
  const ox = (index % perRow) << 2;
  storeLanes(at4(y, (channel * oh + oy) * ow + ox), v, ow - ox);
}

/** Byte offset in a padded image of row width `wp` of pixel vector `index` (clamped to `count − 1`). */
function vectorBase(index: i32, count: i32, perRow: i32, wp: i32): usize {
  const v = min(index, count - 1);
  return (<usize>((v / perRow) * wp + ((v % perRow) << 2))) << 2;
}

/** The loop bounds of `forwardBlock`: the kernel, its dilation and the output planes. */
@unmanaged
class Window {
  kh: i32;
  kw: i32;
  dh: i32;
  dw: i32;
  oh: i32;
  ow: i32;
}

const WINDOW_BYTES: usize = 32;

/**
 * One image, one channel block `block`: y[channel, oy, ox] = Σ over (input channel, i, j) of the
 * packed weight times xp[input channel, oy + i·dh, ox + j·dw]. `xp` holds `inChannels` planes of
 * `hp x wp`; `pack` the weights as [block][input channel][i][j][CB]; y `outChannels` planes of
 * `oh x ow`.
 */
function forwardBlock(
  xp: usize,
  inChannels: i32,
  hp: i32,
  wp: i32,
  g: Window,
  pack: usize,
  block: i32,
  outChannels: i32,
  y: usize,
): void {
  const perRow = blocks(g.ow, 4);
  const count = g.oh * perRow;
  const planeBytes = (<usize>(hp * wp)) << 2;
  const rowStep = (<usize>(g.dh * wp)) << 2;
  const tapStep = (<usize>g.dw) << 2;
  const taps = inChannels * g.kh * g.kw;
  const channel = block * CB;
  for (let v = 0; v < count; v += VB) {
    const b0 = vectorBase(v, count, perRow, wp);
    const b1 = vectorBase(v + 1, count, perRow, wp);
    const b2 = vectorBase(v + 2, count, perRow, wp);
    const b3 = vectorBase(v + 3, count, perRow, wp);
    let a00 = f32x4.splat(0),
      a01 = f32x4.splat(0),
      a02 = f32x4.splat(0),
      a03 = f32x4.splat(0);
    let a10 = f32x4.splat(0),
      a11 = f32x4.splat(0),
      a12 = f32x4.splat(0),
      a13 = f32x4.splat(0);
    let w = pack + ((<usize>(block * taps * CB)) << 2);
    for (let c = 0; c < inChannels; c++) {
      let row = xp + <usize>c * planeBytes;
      for (let i = 0; i < g.kh; i++) {
        let p = row;
        for (let j = 0; j < g.kw; j++) {
          const s0 = v128.load32_splat(w);
          const s1 = v128.load32_splat(w, 4);
          let x = v128.load(p + b0);
          a00 = madd(s0, x, a00);
          a10 = madd(s1, x, a10);
          x = v128.load(p + b1);
          a01 = madd(s0, x, a01);
          a11 = madd(s1, x, a11);
          x = v128.load(p + b2);
          a02 = madd(s0, x, a02);
          a12 = madd(s1, x, a12);
          x = v128.load(p + b3);
          a03 = madd(s0, x, a03);
          a13 = madd(s1, x, a13);
          w += 8;
          p += tapStep;
        }
        row += rowStep;
      }
    }
    storeVector(y, channel, outChannels, v, count, g.oh, g.ow, a00);
    storeVector(y, channel, outChannels, v + 1, count, g.oh, g.ow, a01);
    storeVector(y, channel, outChannels, v + 2, count, g.oh, g.ow, a02);
    storeVector(y, channel, outChannels, v + 3, count, g.oh, g.ow, a03);
    storeVector(y, channel + 1, outChannels, v, count, g.oh, g.ow, a10);
    storeVector(y, channel + 1, outChannels, v + 1, count, g.oh, g.ow, a11);
    storeVector(y, channel + 1, outChannels, v + 2, count, g.oh, g.ow, a12);
    storeVector(y, channel + 1, outChannels, v + 3, count, g.oh, g.ow, a13);
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
 * The direct forward pass (x, w → y) or, when `input`, the input gradient (dy, w → dx): thread `thread`'s share
 * of the (image, channel block) pairs, with its work block `work` (`directWorkspace` bytes). The
 * input gradient is the forward loop over dY padded by the dilated kernel extent less the padding,
 * with output planes h x w.
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
  const pack = work;
  const padded = pack + packBytes(g);
  packWeights(w, g, input, pack);
  const inChannels = input ? g.outChannels : g.c;
  const outChannels = input ? g.c : g.outChannels;
  const ih = input ? g.oh : g.h;
  const iw = input ? g.ow : g.w;
  const hp = input ? g.h + (g.kh - 1) * g.dh : g.h + 2 * g.ph;
  const wp = input ? g.w + (g.kw - 1) * g.dw : g.w + 2 * g.pw;
  const top = input ? (g.kh - 1) * g.dh - g.ph : g.ph;
  const left = input ? (g.kw - 1) * g.dw - g.pw : g.pw;
  const window = changetype<Window>(padded + paddedBytes(g)); // pool threads may not allocate
  window.kh = g.kh;
  window.kw = g.kw;
  window.dh = g.dh;
  window.dw = g.dw;
  window.oh = input ? g.h : g.oh;
  window.ow = input ? g.w : g.ow;
  const outArea = window.oh * window.ow;
  const perBlock = blocks(outChannels, CB);
  const u1 = shareStart(g.n * perBlock, thread + 1, threads);
  let image = -1;
  for (let u = shareStart(g.n * perBlock, thread, threads); u < u1; u++) {
    if (u / perBlock != image) {
      image = u / perBlock;
      padPlanes(at4(a, image * inChannels * ih * iw), inChannels, ih, iw, padded, hp, wp, top, left);
    }
    const y = at4(out, image * outChannels * outArea);
    forwardBlock(padded, inChannels, hp, wp, window, pack, u % perBlock, outChannels, y);
  }
}

/** Copies `channels` planes of `rows x width` at `src` into rows of `wide` floats at `dst`, zeros after each row. */
function widenRows(src: usize, channels: i32, rows: i32, width: i32, dst: usize, wide: i32): void {
  if (wide == width) {
    memory.copy(dst, src, (<usize>(channels * rows * width)) << 2);
    return;
  }
  memory.fill(dst, 0, (<usize>(channels * rows * wide)) << 2);
  for (let r = 0; r < channels * rows; r++) memory.copy(at4(dst, r * wide), at4(src, r * width), (<usize>width) << 2);
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
  const taps = g.kh * g.kw;
  const tapBlocks = blocks(depth, VB);
  const units = blocks(g.outChannels, CB) * tapBlocks;
  const u0 = shareStart(units, thread, threads);
  const u1 = shareStart(units, thread + 1, threads);
  if (u1 <= u0) return;
  const padded = work + packBytes(g);
  const wide = padded + paddedBytes(g);
  const sums = wide + align16((<usize>widenedFloats(g)) << 2);
  const offsets = sums + sumsBytes(g);
  const hp = g.h + 2 * g.ph;
  const wp = g.w + 2 * g.pw;
  const perRow = blocks(g.ow, 4);
  for (let t = 0; t < tapBlocks * VB; t++) {
    const tap = t < depth ? t : 0; // a block's taps past the last repeat the first; not stored
    const c = tap / taps;
    const i = (tap % taps) / g.kw;
    const j = tap % g.kw;
    store<i32>(at4(offsets, t), ((c * hp + i * g.dh) * wp + j * g.dw) << 2);
  }
  const unitBytes = (<usize>(CB * VB)) << 4;
  memory.fill(sums + <usize>u0 * unitBytes, 0, <usize>(u1 - u0) * unitBytes);
  const imageFloats = g.c * g.h * g.w;
  const gradientFloats = g.outChannels * g.oh * g.ow;
  for (let n = 0; n < g.n; n++) {
    padPlanes(at4(x, n * imageFloats), g.c, g.h, g.w, padded, hp, wp, g.ph, g.pw);
    widenRows(at4(dy, n * gradientFloats), g.outChannels, g.oh, g.ow, wide, perRow * 4);
    for (let u = u0; u < u1; u++) {
      const at = sums + <usize>u * unitBytes;
      filterBlock(padded, wp, wide, g.oh, perRow, g.outChannels, u / tapBlocks, at4(offsets, (u % tapBlocks) * VB), at);
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
          f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + (f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3));
        store<f32>(at4(dw, o * depth + t), lanes);
      }
    }
}
