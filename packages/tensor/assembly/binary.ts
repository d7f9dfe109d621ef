// Bit-packed binary kernels (XNOR-popcount). A packed row holds the signs of `k` values along the
// reduction axis, 64 per u64 word: bit j of word w is element 64·w + j, set for a value ≥ 0 (sign(0)
// = +1) and clear for a value < 0 (or NaN). The words are stored as int32 pairs (little-endian, so
// bit j of int32 word i is element 32·i + j), 2·⌈k/64⌉ int32 per row; the padding bits past k are
// clear in every packed row, so they never differ between two operands and never count. For ±1
// vectors a and b of length k, a·b = k − 2·popcount(a ⊕ b).
import { align16, shareStart, workOf } from './parallel';
import { Geometry } from './window';

/** Rows of A per micro-tile. */
const MR: i32 = 2;
/** Rows of B (columns of C) per micro-tile. */
const NR: i32 = 4;
/** Bytes of packed A kept hot while the B panels stream past it (about L1). */
const A_BLOCK_BYTES: i32 = 32768;

/** u64 words of a packed row of `k` values. */
function wordsOf(k: i32): i32 {
  return (k + 63) >> 6;
}

/** The sign bits of 16 float32 at `x` (bit i set for x[i] ≥ 0). */
function signBits16(x: usize): i32 {
  const zero = f32x4.splat(0);
  const m0 = f32x4.ge(v128.load(x), zero);
  const m1 = f32x4.ge(v128.load(x, 16), zero);
  const m2 = f32x4.ge(v128.load(x, 32), zero);
  const m3 = f32x4.ge(v128.load(x, 48), zero);
  const lo = i16x8.narrow_i32x4_s(m0, m1);
  const hi = i16x8.narrow_i32x4_s(m2, m3);
  return i8x16.bitmask(i8x16.narrow_i16x8_s(lo, hi));
}

/**
 * Packs the signs of `rows` rows of `k` float32 at `x` (row stride `k`) into `out`, 2·⌈k/64⌉ int32
 * per row (layout above). Thread `thread` of `threads` packs a contiguous range of rows.
 */
export function packSigns(x: usize, out: usize, rows: i32, k: i32, thread: i32, threads: i32): void {
  const r0 = shareStart(rows, thread, threads);
  const r1 = shareStart(rows, thread + 1, threads);
  const words32 = wordsOf(k) * 2;
  const full = k >> 5;
  for (let r = r0; r < r1; r++) {
    const src = x + ((<usize>r * k) << 2);
    const dst = out + ((<usize>r * words32) << 2);
    for (let w = 0; w < full; w++) {
      const at = src + ((<usize>w) << 7);
      store<i32>(dst + ((<usize>w) << 2), signBits16(at) | (signBits16(at + 64) << 16));
    }
    for (let w = full; w < words32; w++) {
      let bits = 0;
      const end = min(32, k - (w << 5));
      for (let j = 0; j < end; j++) {
        if (load<f32>(src + ((<usize>((w << 5) + j)) << 2)) >= 0) bits |= 1 << j;
      }
      store<i32>(dst + ((<usize>w) << 2), bits);
    }
  }
}

/** Writes ±1 float32 for the `k` values of each of `rows` packed rows at `bits` into `out`. */
export function unpackSigns(bits: usize, out: usize, rows: i32, k: i32): void {
  const words32 = wordsOf(k) * 2;
  for (let r = 0; r < rows; r++) {
    const src = bits + ((<usize>r * words32) << 2);
    const dst = out + ((<usize>r * k) << 2);
    for (let e = 0; e < k; e++) {
      const word = load<i32>(src + ((<usize>(e >> 5)) << 2));
      store<f32>(dst + ((<usize>e) << 2), (word >>> (e & 31)) & 1 ? 1 : -1);
    }
  }
}

/**
 * Copies `lines` packed rows starting at `src` (`valid` of them present, `rowBytes` apart) into a
 * word-major panel at `out`: the `lines` words of step w at `out + w·lines·8`. Missing rows are zero
 * (their results are never stored).
 */
function packPanel(src: usize, rowBytes: usize, words: i32, lines: i32, valid: i32, out: usize): void {
  const step = (<usize>lines) << 3;
  for (let j = 0; j < lines; j++) {
    let dst = out + ((<usize>j) << 3);
    if (j < valid) {
      let from = src + <usize>j * rowBytes;
      for (let w = 0; w < words; w++) {
        store<i64>(dst, load<i64>(from));
        from += 8;
        dst += step;
      }
    } else {
      for (let w = 0; w < words; w++) {
        store<i64>(dst, 0);
        dst += step;
      }
    }
  }
}

/** Stores k − 2·count for the valid columns of one row of a micro-tile. */
function storeRow(c: usize, k: i32, cols: i32, p0: i64, p1: i64, p2: i64, p3: i64): void {
  const kk = <i64>k;
  store<f32>(c, <f32>(kk - 2 * p0));
  if (cols > 1) store<f32>(c, <f32>(kk - 2 * p1), 4);
  if (cols > 2) store<f32>(c, <f32>(kk - 2 * p2), 8);
  if (cols > 3) store<f32>(c, <f32>(kk - 2 * p3), 12);
}

/**
 * The MR x NR micro-tile: popcounts of the XOR of an MR-row panel of A (at `pa`) with an NR-row
 * panel of B (at `pb`) over `words` u64 steps, in eight i64 accumulators, stored as k − 2·count
 * into the valid `rows x cols` corner of C at `c` (row stride `ldc` elements).
 */
function micro(words: i32, pa: usize, pb: usize, c: usize, ldc: i32, k: i32, rows: i32, cols: i32): void {
  let s00: i64 = 0,
    s01: i64 = 0,
    s02: i64 = 0,
    s03: i64 = 0;
  let s10: i64 = 0,
    s11: i64 = 0,
    s12: i64 = 0,
    s13: i64 = 0;
  const end = pb + ((<usize>words) << 5);
  while (pb < end) {
    const x0 = load<i64>(pa);
    const x1 = load<i64>(pa, 8);
    let y = load<i64>(pb);
    s00 += popcnt(x0 ^ y);
    s10 += popcnt(x1 ^ y);
    y = load<i64>(pb, 8);
    s01 += popcnt(x0 ^ y);
    s11 += popcnt(x1 ^ y);
    y = load<i64>(pb, 16);
    s02 += popcnt(x0 ^ y);
    s12 += popcnt(x1 ^ y);
    y = load<i64>(pb, 24);
    s03 += popcnt(x0 ^ y);
    s13 += popcnt(x1 ^ y);
    pa += MR << 3;
    pb += NR << 3;
  }
  storeRow(c, k, cols, s00, s01, s02, s03);
  if (rows > 1) storeRow(c + ((<usize>ldc) << 2), k, cols, s10, s11, s12, s13);
}

/** Row-column pairs of the micro-tile (MR·NR): each `binaryPeak` run counts 64·words bits for each. */
export function binaryTilePairs(): i32 {
  return MR * NR;
}

/**
 * The binary GEMM's ceiling, the machine limit its workloads are measured against: `iterations` runs
 * of the MR x NR micro-tile (the GEMM's own `micro`) over `words` u64 steps of L1-resident panels at
 * `panels` (an MR-row panel of A, then an NR-row panel of B: (MR + NR)·words u64, any bits), each
 * storing its counts into the MR·NR floats at `out + 128·thread` (a slot per thread that shares no
 * cache line with another's: the stores of every run would otherwise bounce the line between cores). No packing, no blocking, no
 * memory beyond L1: 2·MR·NR·64·words binary operations a run (an XNOR-popcount counted as a
 * multiply and an add, as for floats). Every thread of the pool runs every run (the aggregate).
 */
export function binaryPeak(iterations: i32, words: i32, panels: usize, out: usize, thread: i32, threads: i32): void {
  const c = out + ((<usize>thread) << 7);
  const pb = panels + ((<usize>(MR * words)) << 3);
  for (let i = 0; i < iterations; i++) micro(words, panels, pb, c, NR, words << 6, MR, NR);
}

/** Rows of A per block: as many MR-row panels as fit in A_BLOCK_BYTES (at least one), at most m's. */
function blockRows(m: i32, k: i32): i32 {
  const fit = (A_BLOCK_BYTES / (wordsOf(k) << 3) / MR) * MR;
  return min(max(MR, fit), ((m + MR - 1) / MR) * MR);
}

/** Bytes of work space one thread needs for an `m x n` binary GEMM over `k` values (packed A block and B panel). */
export function binaryGemmWorkspace(m: i32, k: i32): usize {
  const rowBytes = (<usize>wordsOf(k)) << 3;
  return align16(<usize>blockRows(m, k) * rowBytes) + align16(<usize>NR * rowBytes);
}

/**
 * C = A·Bᵀ over ±1 values: A `m` packed rows, B `n` packed rows, both of `k` values (2·⌈k/64⌉ int32
 * each), C float32 exact integers k − 2·popcount(a ⊕ b). The columns of C come in `n / groupCols`
 * groups of `groupCols` (B's rows in the same order), each group a dense `m x groupCols` block, the
 * blocks one after another: `groupCols = n` is the plain `m x n` product, `groupCols = OH·OW` writes
 * a convolution's NCHW output straight from its packed im2col rows. A is packed in blocks of MR-row
 * panels that stay in L1 while NR-row panels of B stream past (a panel never straddles two groups);
 * a 2 x 4 micro-tile keeps eight i64 popcount sums in registers. Thread `thread` of `threads`
 * computes a contiguous range of the NR-column panels of all groups (MR-row panels when m > n) with
 * its own work block (`wsBytes` ≥ `binaryGemmWorkspace(m, k)` bytes per thread at `ws`). Integer
 * sums, so every thread count gives the same bits.
 */
export function binaryGemm(
  m: i32,
  n: i32,
  k: i32,
  a: usize,
  b: usize,
  c: usize,
  groupCols: i32,
  ws: usize,
  wsBytes: usize,
  thread: i32,
  threads: i32,
): void {
  const groupPanels = (groupCols + NR - 1) / NR;
  let u0 = 0;
  let u1 = (n / groupCols) * groupPanels;
  let i0 = 0;
  let i1 = m;
  if (n >= m) {
    const units = u1;
    u0 = shareStart(units, thread, threads);
    u1 = shareStart(units, thread + 1, threads);
  } else {
    const panels = (m + MR - 1) / MR;
    i0 = shareStart(panels, thread, threads) * MR;
    i1 = min(m, shareStart(panels, thread + 1, threads) * MR);
  }
  if (u0 >= u1 || i0 >= i1) return;
  const words = wordsOf(k);
  const rowBytes = (<usize>words) << 3;
  const mc = blockRows(m, k);
  const bufA = workOf(ws, wsBytes, thread);
  const panel = bufA + align16(<usize>mc * rowBytes);
  const groupBytes = (<usize>m * groupCols) << 2;
  for (let ic = i0; ic < i1; ic += mc) {
    const rows = min(mc, i1 - ic);
    for (let ir = 0; ir < rows; ir += MR) {
      packPanel(a + <usize>(ic + ir) * rowBytes, rowBytes, words, MR, min(MR, rows - ir), bufA + <usize>ir * rowBytes);
    }
    for (let u = u0; u < u1; u++) {
      const group = u / groupPanels;
      const jr = (u - group * groupPanels) * NR;
      const cols = min(NR, groupCols - jr);
      packPanel(b + <usize>(group * groupCols + jr) * rowBytes, rowBytes, words, NR, cols, panel);
      const cGroup = c + <usize>group * groupBytes;
      for (let ir = 0; ir < rows; ir += MR) {
        const cAt = cGroup + ((<usize>(ic + ir) * groupCols + <usize>jr) << 2);
        micro(words, bufA + <usize>ir * rowBytes, panel, cAt, groupCols, k, min(MR, rows - ir), cols);
      }
    }
  }
}

/**
 * The `kw` window bits of packed row `row` (`w` sign bits, layout as `packSigns`) from bit `s` on,
 * `dw` apart, bit j of the result for tap j; a tap outside [0, w) (the padding) gives a set bit.
 */
@inline
function tapBits(row: usize, w: i32, s: i32, kw: i32, dw: i32): u64 {
  if (dw == 1 && s >= 0 && s + kw <= w && kw <= 57) {
    return (load<u64>(row + (<usize>(s >> 3))) >> (<u64>(s & 7))) & ((<u64>1 << (<u64>kw)) - 1);
  }
  let bits: u64 = 0;
  for (let j = 0; j < kw; j++) {
    const ix = s + j * dw;
    const set = ix < 0 || ix >= w || ((load<u8>(row + (<usize>(ix >> 3))) >> (ix & 7)) & 1) != 0;
    bits |= (<u64>set) << (<u64>j);
  }
  return bits;
}

/**
 * Packs the signs of the im2col columns of NCHW images straight into packed rows at `out`, from
 * `rows`, the images' sign bits packed along W (`packSigns` of x as `[N·C·H, W]`, 2·⌈W/64⌉ int32 a
 * row, plus 8 readable bytes after the last): row r = (image, oy, ox) in that order holds the
 * C·kh·kw window values in im2col order (channel, tap row, tap column), 2·⌈C·kh·kw/64⌉ int32, layout
 * as `packSigns`. Each tap row's kw bits are one shifted load from the bit row (window geometry at
 * `g`, dilation included); a tap in the padding packs as +1 (the sign of the zero that im2col pads
 * with), so the rows equal `packSigns` of the transposed float im2col. Thread `thread` of
 * `threads` packs a contiguous range of rows.
 */
export function packIm2col(rows: usize, g: usize, out: usize, thread: i32, threads: i32): void {
  const geo = changetype<Geometry>(g);
  const c = geo.c;
  const h = geo.h;
  const w = geo.w;
  const kh = geo.kh;
  const kw = geo.kw;
  const ohw = geo.oh * geo.ow;
  const words32 = wordsOf(c * kh * kw) * 2;
  const rowBytes = (<usize>wordsOf(w)) << 3;
  const ones: u64 = (<u64>1 << (<u64>kw)) - 1;
  const r0 = shareStart(geo.n * ohw, thread, threads);
  const r1 = shareStart(geo.n * ohw, thread + 1, threads);
  for (let r = r0; r < r1; r++) {
    const image = r / ohw;
    const oy = (r - image * ohw) / geo.ow;
    const ox = r - image * ohw - oy * geo.ow;
    const y0 = oy * geo.sh - geo.ph;
    const x0 = ox * geo.sw - geo.pw;
    let dst = out + ((<usize>r * words32) << 2);
    const end = dst + ((<usize>words32) << 2);
    let acc: u64 = 0;
    let fill: i32 = 0;
    for (let ch = 0; ch < c; ch++) {
      const plane = rows + <usize>(image * c + ch) * h * rowBytes;
      for (let i = 0; i < kh; i++) {
        const iy = y0 + i * geo.dh;
        const bits = iy >= 0 && iy < h ? tapBits(plane + <usize>iy * rowBytes, w, x0, kw, geo.dw) : ones;
        acc |= bits << (<u64>fill);
        fill += kw;
        if (fill >= 64) {
          store<u64>(dst, acc);
          dst += 8;
          fill -= 64;
          acc = bits >> (<u64>(kw - fill));
        }
      }
    }
    if (fill > 0) {
      store<u64>(dst, acc);
      dst += 8;
    }
    while (dst < end) {
      store<u64>(dst, 0);
      dst += 8;
    }
  }
}
