// C = A·Bᵀ for row-major A [m, k] and B [n, k], by dot products along k: f32x4 lanes in a 2 x 4
// register block (eight v128 accumulators), lanes summed at the end. This is the layout of a filter
// gradient, where m and n are small and k (images x output positions) is long; GEMM's packing
// would copy B with a stride there.
import { madd } from './simd';

function laneSum(v: v128): f32 {
  return (
    f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3)
  );
}

/** Σₚ x[p]·y[p] over `k` elements (f32x4 lanes, then the tail). */
function dot(x: usize, y: usize, k: i32): f32 {
  const k4 = k & ~3;
  let acc = f32x4.splat(0);
  for (let p = 0; p < k4; p += 4) {
    const at = (<usize>p) << 2;
    acc = madd(v128.load(x + at), v128.load(y + at), acc);
  }
  let sum = laneSum(acc);
  for (let p = k4; p < k; p++) {
    const at = (<usize>p) << 2;
    sum += load<f32>(x + at) * load<f32>(y + at);
  }
  return sum;
}

/** Stores (or adds) `v` at `c`. */
function put(c: usize, v: f32, add: bool): void {
  store<f32>(c, add ? load<f32>(c) + v : v);
}

/**
 * C = A·Bᵀ (or C += A·Bᵀ when `accumulate`): A `m x k` with row stride `lda`, B `n x k` with row
 * stride `ldb`, C `m x n` with row stride `ldc`, all in elements.
 */
export function gemmNT(
  m: i32,
  n: i32,
  k: i32,
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  c: usize,
  ldc: i32,
  accumulate: bool,
): void {
  const k4 = k & ~3;
  const rowA = (<usize>lda) << 2;
  const rowB = (<usize>ldb) << 2;
  const rowC = (<usize>ldc) << 2;
  let i = 0;
  for (; i + 2 <= m; i += 2) {
    const a0 = a + <usize>i * rowA;
    const a1 = a0 + rowA;
    const c0 = c + <usize>i * rowC;
    const c1 = c0 + rowC;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const b0 = b + <usize>j * rowB;
      const b1 = b0 + rowB;
      const b2 = b1 + rowB;
      const b3 = b2 + rowB;
      let s00 = f32x4.splat(0),
        s01 = f32x4.splat(0),
        s02 = f32x4.splat(0),
        s03 = f32x4.splat(0);
      let s10 = f32x4.splat(0),
        s11 = f32x4.splat(0),
        s12 = f32x4.splat(0),
        s13 = f32x4.splat(0);
      for (let p = 0; p < k4; p += 4) {
        const at = (<usize>p) << 2;
        const x0 = v128.load(a0 + at);
        const x1 = v128.load(a1 + at);
        let y = v128.load(b0 + at);
        s00 = madd(x0, y, s00);
        s10 = madd(x1, y, s10);
        y = v128.load(b1 + at);
        s01 = madd(x0, y, s01);
        s11 = madd(x1, y, s11);
        y = v128.load(b2 + at);
        s02 = madd(x0, y, s02);
        s12 = madd(x1, y, s12);
        y = v128.load(b3 + at);
        s03 = madd(x0, y, s03);
        s13 = madd(x1, y, s13);
      }
      let r00 = laneSum(s00),
        r01 = laneSum(s01),
        r02 = laneSum(s02),
        r03 = laneSum(s03);
      let r10 = laneSum(s10),
        r11 = laneSum(s11),
        r12 = laneSum(s12),
        r13 = laneSum(s13);
      for (let p = k4; p < k; p++) {
        const at = (<usize>p) << 2;
        const x0 = load<f32>(a0 + at);
        const x1 = load<f32>(a1 + at);
        const y0 = load<f32>(b0 + at);
        const y1 = load<f32>(b1 + at);
        const y2 = load<f32>(b2 + at);
        const y3 = load<f32>(b3 + at);
        r00 += x0 * y0;
        r01 += x0 * y1;
        r02 += x0 * y2;
        r03 += x0 * y3;
        r10 += x1 * y0;
        r11 += x1 * y1;
        r12 += x1 * y2;
        r13 += x1 * y3;
      }
      const at = (<usize>j) << 2;
      put(c0 + at, r00, accumulate);
      put(c0 + at + 4, r01, accumulate);
      put(c0 + at + 8, r02, accumulate);
      put(c0 + at + 12, r03, accumulate);
      put(c1 + at, r10, accumulate);
      put(c1 + at + 4, r11, accumulate);
      put(c1 + at + 8, r12, accumulate);
      put(c1 + at + 12, r13, accumulate);
    }
    for (; j < n; j++) {
      const bj = b + <usize>j * rowB;
      const at = (<usize>j) << 2;
      put(c0 + at, dot(a0, bj, k), accumulate);
      put(c1 + at, dot(a1, bj, k), accumulate);
    }
  }
  for (; i < m; i++) {
    const ai = a + <usize>i * rowA;
    const ci = c + <usize>i * rowC;
    for (let j = 0; j < n; j++) put(ci + ((<usize>j) << 2), dot(ai, b + <usize>j * rowB, k), accumulate);
  }
}
