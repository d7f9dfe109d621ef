// Goto/BLIS-style single-precision GEMM: B packed in KC x NC blocks, A in MC x KC blocks, and a
// 4 x 8 register-blocked f32x4 micro-kernel (eight v128 accumulators; fused multiply-adds in the
// relaxed-SIMD module). Operands are strided views (row stride, column stride in elements), so
// every transpose combination reads in place.
import { addRowBias } from './bias';
import { align16, shareStart, workOf } from './parallel';
import { madd } from './simd';

const MR: i32 = 4;
const NR: i32 = 8;
const KC: i32 = 256;
const MC: i32 = 128;
const NC: i32 = 1024;

/** Packs the `rows x depth` block of A at (row0, depth0) into MR-row panels, depth-major, zero-padded. */
function packA(a: usize, rs: i32, cs: i32, row0: i32, depth0: i32, rows: i32, depth: i32, out: usize): void {
  let dst = out;
  for (let i0 = 0; i0 < rows; i0 += MR) {
    const height = min(MR, rows - i0);
    const base = a + ((<usize>(row0 + i0) * rs + <usize>depth0 * cs) << 2);
    const rsb = (<usize>rs) << 2;
    const csb = (<usize>cs) << 2;
    if (height == MR) {
      let src = base;
      for (let p = 0; p < depth; p++) {
        store<f32>(dst, load<f32>(src));
        store<f32>(dst, load<f32>(src + rsb), 4);
        store<f32>(dst, load<f32>(src + 2 * rsb), 8);
        store<f32>(dst, load<f32>(src + 3 * rsb), 12);
        src += csb;
        dst += 16;
      }
    } else {
      for (let p = 0; p < depth; p++) {
        const src = base + <usize>p * csb;
        for (let r = 0; r < MR; r++) {
          store<f32>(dst, r < height ? load<f32>(src + <usize>r * rsb) : 0);
          dst += 4;
        }
      }
    }
  }
}

/**
 * Stores the 4 x 4 transpose of the rows (r0, r1, r2, r3) at `dst`, one row every `stride` bytes:
 * row p holds (r0[p], r1[p], r2[p], r3[p]).
 */
function transposeStore(dst: usize, stride: usize, r0: v128, r1: v128, r2: v128, r3: v128): void {
  const lo01 = v128.shuffle<i32>(r0, r1, 0, 4, 1, 5);
  const lo23 = v128.shuffle<i32>(r2, r3, 0, 4, 1, 5);
  const hi01 = v128.shuffle<i32>(r0, r1, 2, 6, 3, 7);
  const hi23 = v128.shuffle<i32>(r2, r3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<i32>(lo01, lo23, 0, 1, 4, 5));
  v128.store(dst + stride, v128.shuffle<i32>(lo01, lo23, 2, 3, 6, 7));
  v128.store(dst + 2 * stride, v128.shuffle<i32>(hi01, hi23, 0, 1, 4, 5));
  v128.store(dst + 3 * stride, v128.shuffle<i32>(hi01, hi23, 2, 3, 6, 7));
}

/** Packs the `depth x cols` block of B at (depth0, col0) into NR-column panels, depth-major, zero-padded. */
function packB(b: usize, rs: i32, cs: i32, depth0: i32, col0: i32, depth: i32, cols: i32, out: usize): void {
  let dst = out;
  const rsb = (<usize>rs) << 2;
  const csb = (<usize>cs) << 2;
  for (let j0 = 0; j0 < cols; j0 += NR) {
    const width = min(NR, cols - j0);
    const base = b + ((<usize>depth0 * rs + <usize>(col0 + j0) * cs) << 2);
    if (width == NR && cs == 1) {
      let src = base;
      for (let p = 0; p < depth; p++) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        src += rsb;
        dst += 32;
      }
    } else if (width == NR && rs == 1) {
      // B's columns are contiguous along the depth (a transposed operand such as a Linear weight):
      // four depths of each of the NR columns per load, two 4 x 4 transposes into the panel rows.
      let p = 0;
      for (; p + 4 <= depth; p += 4) {
        const src = base + ((<usize>p) << 2);
        transposeStore(
          dst,
          32,
          v128.load(src),
          v128.load(src + csb),
          v128.load(src + 2 * csb),
          v128.load(src + 3 * csb),
        );
        const right = src + 4 * csb;
        transposeStore(
          dst + 16,
          32,
          v128.load(right),
          v128.load(right + csb),
          v128.load(right + 2 * csb),
          v128.load(right + 3 * csb),
        );
        dst += 128;
      }
      for (; p < depth; p++) {
        const src = base + ((<usize>p) << 2);
        for (let c = 0; c < NR; c++) {
          store<f32>(dst, load<f32>(src + <usize>c * csb));
          dst += 4;
        }
      }
    } else {
      for (let p = 0; p < depth; p++) {
        const src = base + <usize>p * rsb;
        for (let c = 0; c < NR; c++) {
          store<f32>(dst, c < width ? load<f32>(src + <usize>c * csb) : 0);
          dst += 4;
        }
      }
    }
  }
}

/** Stores (or adds) one accumulator row of 8 values at `c`. */
function storeRow(c: usize, lo: v128, hi: v128, add: bool): void {
  if (add) {
    lo = f32x4.add(lo, v128.load(c));
    hi = f32x4.add(hi, v128.load(c, 16));
  }
  v128.store(c, lo);
  v128.store(c, hi, 16);
}

/**
 * Multiplies one packed MR x depth panel of A by one packed depth x NR panel of B in eight v128
 * accumulators and stores (or adds) the valid rows x cols corner into C (row stride `ldc` elements),
 * through the MR x NR tile `t` at an edge.
 */
function micro(
  depth: i32,
  pa: usize,
  pb: usize,
  c: usize,
  ldc: i32,
  rows: i32,
  cols: i32,
  add: bool,
  t: usize,
): void {
  let c00 = f32x4.splat(0),
    c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0),
    c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0),
    c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0),
    c31 = f32x4.splat(0);
  for (let p = 0; p < depth; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = madd(a, b0, c00);
    c01 = madd(a, b1, c01);
    a = v128.load32_splat(pa, 4);
    c10 = madd(a, b0, c10);
    c11 = madd(a, b1, c11);
    a = v128.load32_splat(pa, 8);
    c20 = madd(a, b0, c20);
    c21 = madd(a, b1, c21);
    a = v128.load32_splat(pa, 12);
    c30 = madd(a, b0, c30);
    c31 = madd(a, b1, c31);
    pa += 16;
    pb += 32;
  }
  const ldb = (<usize>ldc) << 2;
  if (rows == MR && cols == NR) {
    storeRow(c, c00, c01, add);
    storeRow(c + ldb, c10, c11, add);
    storeRow(c + 2 * ldb, c20, c21, add);
    storeRow(c + 3 * ldb, c30, c31, add);
    return;
  }
  storeRow(t, c00, c01, false);
  storeRow(t + 32, c10, c11, false);
  storeRow(t + 64, c20, c21, false);
  storeRow(t + 96, c30, c31, false);
  for (let r = 0; r < rows; r++) {
    const row = c + <usize>r * ldb;
    const src = t + ((<usize>(r * NR)) << 2);
    for (let j = 0; j < cols; j++) {
      const v = load<f32>(src + ((<usize>j) << 2));
      const at = row + ((<usize>j) << 2);
      store<f32>(at, add ? load<f32>(at) + v : v);
    }
  }
}

/** Bytes of the packed A panel, the packed B panel and the edge tile for an `m x n x k` product. */
function panelBytes(m: i32, n: i32, k: i32): usize {
  const kc = <usize>min(KC, k);
  return align16((<usize>(min(MC, m) + MR) * kc) << 2) + align16((<usize>(min(NC, n) + NR) * kc) << 2);
}

/** Bytes of work space one thread needs for its share of an `m x n x k` GEMM. */
export function gemmWorkspace(m: i32, n: i32, k: i32): usize {
  return panelBytes(m, n, k) + ((<usize>(MR * NR)) << 2);
}

/**
 * C = A·B (or C += A·B when `accumulate`), then + `bias` (float32 `[n]`, added to every row once
 * the sums are finished; 0 for none): A `m x k` with strides (ars, acs), B `k x n` with strides
 * (brs, bcs), C dense row-major with row stride `ldc`, all strides in elements. Thread
 * `thread` of `threads` computes its share of C, a contiguous range of NR-column panels (or of
 * MR-row panels when C has more rows than columns), with its own work block (`wsBytes` ≥
 * `gemmWorkspace(m, n, k)` bytes per thread at `ws`; one thread: `gemm(…, 0, ws, 0, 0, 1)`). Each
 * element of C is summed along k in the same order whatever the split, so results are
 * bit-identical for every thread count.
 */
export function gemm(
  m: i32,
  n: i32,
  k: i32,
  a: usize,
  ars: i32,
  acs: i32,
  b: usize,
  brs: i32,
  bcs: i32,
  c: usize,
  ldc: i32,
  accumulate: bool,
  bias: usize,
  ws: usize,
  wsBytes: usize,
  thread: i32,
  threads: i32,
): void {
  // This thread's share: columns [j0, j1) (or rows [i0, i1) when C has more rows than columns).
  let i0 = 0;
  let j0 = 0;
  if (n >= m) {
    const panels = (n + NR - 1) / NR;
    j0 = shareStart(panels, thread, threads) * NR;
    n = min(n, shareStart(panels, thread + 1, threads) * NR) - j0;
  } else {
    const panels = (m + MR - 1) / MR;
    i0 = shareStart(panels, thread, threads) * MR;
    m = min(m, shareStart(panels, thread + 1, threads) * MR) - i0;
  }
  if (m <= 0 || n <= 0) return;
  a += (<usize>i0 * ars) << 2;
  b += (<usize>j0 * bcs) << 2;
  c += (<usize>i0 * ldc + <usize>j0) << 2;
  const rowBias = bias == 0 ? 0 : bias + ((<usize>j0) << 2);
  if (k == 0) {
    if (!accumulate)
      for (let i = 0; i < m; i++) memory.fill(c + ((<usize>(i * ldc)) << 2), 0, (<usize>n) << 2);
    addRowBias(c, ldc, m, n, rowBias);
    return;
  }
  const work = workOf(ws, wsBytes, thread);
  const bufA = work;
  const bufB = work + align16((<usize>(min(MC, m) + MR) * min(KC, k)) << 2);
  const edge = work + panelBytes(m, n, k);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      const add = accumulate || pc > 0;
      packB(b, brs, bcs, pc, jc, kc, nc, bufB);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(a, ars, acs, ic, pc, mc, kc, bufA);
        for (let jr = 0; jr < nc; jr += NR) {
          const pb = bufB + ((<usize>(jr * kc)) << 2);
          const cols = min(NR, nc - jr);
          for (let ir = 0; ir < mc; ir += MR) {
            const cAt = c + ((<usize>(ic + ir) * ldc + <usize>(jc + jr)) << 2);
            micro(kc, bufA + ((<usize>(ir * kc)) << 2), pb, cAt, ldc, min(MR, mc - ir), cols, add, edge);
          }
        }
      }
    }
  }
  addRowBias(c, ldc, m, n, rowBias);
}
