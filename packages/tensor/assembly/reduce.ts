// Reductions into a float64 accumulator addressed with stride 0 along the reduced axes, over a
// 2-operand plan (x, accumulator); the input is read once in memory order. The JS side fills the
// accumulator with the initial value and converts it to the output dtype afterwards.
import { shareStart, workOf } from './parallel';
import { at4, nextRow, offsetOf, planDim, planRank, planStride, rowCount, seekRow } from './plan';

export const SUM: i32 = 0;
export const MAXIMUM: i32 = 1;
export const MINIMUM: i32 = 2;
/** Sum of squared deviations from `means` (indexed like the accumulator): variance's second pass. */
export const SQUARED_DEVIATION: i32 = 3;

function at8(base: usize, index: i32): usize {
  return base + ((<usize>index) << 3);
}

function read(x: usize, j: i32, isInt: bool): f64 {
  return isInt ? <f64>load<i32>(at4(x, j)) : <f64>load<f32>(at4(x, j));
}

function fold(kind: i32, m: f64, v: f64, mean: f64): f64 {
  if (kind == SUM) return m + v;
  if (kind == MAXIMUM) return v > m || v != v ? v : m;
  if (kind == MINIMUM) return v < m || v != v ? v : m;
  const d = v - mean;
  return m + d * d;
}

/**
 * Folds `x` (float32, or int32 when `isInt`) into the float64 accumulator `acc` of `count`
 * elements with `kind`. Thread `thread` of `threads` owns a contiguous range of the accumulator
 * and folds only what lands there, walking the rows with its own row state (`ROW_STATE_BYTES` at
 * `ws + thread·wsBytes`): each accumulator element still takes its inputs in memory order, so the
 * sums do not depend on the thread count.
 */
export function reduce(
  kind: i32,
  plan: usize,
  x: usize,
  isInt: bool,
  acc: usize,
  means: usize,
  count: i32,
  ws: usize,
  wsBytes: usize,
  thread: i32,
  threads: i32,
): void {
  const a0 = shareStart(count, thread, threads);
  const a1 = shareStart(count, thread + 1, threads);
  if (a1 <= a0) return;
  const state = workOf(ws, wsBytes, thread);
  const rows = rowCount(plan);
  const rank = planRank(plan);
  const n = planDim(plan, rank - 1);
  const sx = planStride(plan, 0, rank - 1);
  const sa = planStride(plan, 1, rank - 1);
  seekRow(plan, 2, state, 0);
  // Rows folded into one accumulator element each (sa == 0) go in batches of up to four rows with
  // distinct elements, folded side by side (four independent chains instead of one); a row whose
  // element is already in the batch flushes it first, so every element still takes its rows, and
  // each row's elements, in memory order.
  let batch = 0;
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0;
  let j0 = 0,
    j1 = 0,
    j2 = 0,
    j3 = 0;
  for (let r = 0; r < rows; r++) {
    const start = offsetOf(state, 1);
    if (sa == 0) {
      if (start >= a0 && start < a1) {
        if (
          batch == 4 ||
          (batch > 0 && s0 == start) ||
          (batch > 1 && s1 == start) ||
          (batch > 2 && s2 == start)
        ) {
          foldRows(kind, x, isInt, acc, means, n, sx, batch, s0, j0, s1, j1, s2, j2, s3, j3);
          batch = 0;
        }
        const j = offsetOf(state, 0);
        if (batch == 0) {
          s0 = start;
          j0 = j;
        } else if (batch == 1) {
          s1 = start;
          j1 = j;
        } else if (batch == 2) {
          s2 = start;
          j2 = j;
        } else {
          s3 = start;
          j3 = j;
        }
        batch++;
      }
    } else {
      // the elements i of the row whose accumulator start + i·sa lies in [a0, a1)
      const lo = max(0, (a0 - start + sa - 1) / sa);
      const hi = min(n, (a1 - start + sa - 1) / sa);
      let j = offsetOf(state, 0) + lo * sx;
      let a = start + lo * sa;
      if (kind == SUM && !isInt && sa == 1 && sx == 1) {
        sumIntoRow(at4(x, j), at8(acc, a), hi - lo);
        nextRow(plan, 2, state);
        continue;
      }
      for (let i = lo; i < hi; i++, j += sx, a += sa) {
        const mean = kind == SQUARED_DEVIATION ? load<f64>(at8(means, a)) : 0;
        store<f64>(at8(acc, a), fold(kind, load<f64>(at8(acc, a)), read(x, j, isInt), mean));
      }
    }
    nextRow(plan, 2, state);
  }
  if (batch > 0) foldRows(kind, x, isInt, acc, means, n, sx, batch, s0, j0, s1, j1, s2, j2, s3, j3);
}

/**
 * acc[i] += x[i] for i < n (float32 x, float64 acc, both contiguous): a row of a reduction along
 * the leading axes (a bias gradient), two accumulators a `f64x2`; each takes the same addition as
 * in the element-by-element loop.
 */
function sumIntoRow(x: usize, acc: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = acc + ((<usize>i) << 3);
    const v = v128.load(x + ((<usize>i) << 2));
    v128.store(at, f64x2.add(v128.load(at), f64x2.promote_low_f32x4(v)));
    v128.store(
      at,
      f64x2.add(v128.load(at, 16), f64x2.promote_low_f32x4(v128.shuffle<i32>(v, v, 2, 3, 0, 1))),
      16,
    );
  }
  for (; i < n; i++) {
    const at = acc + ((<usize>i) << 3);
    store<f64>(at, load<f64>(at) + <f64>load<f32>(x + ((<usize>i) << 2)));
  }
}

/** Folds one row of `n` elements (stride `sx`) from x at `j` into the accumulator element `start`. */
function foldRow(
  kind: i32,
  x: usize,
  isInt: bool,
  acc: usize,
  means: usize,
  n: i32,
  sx: i32,
  start: i32,
  j: i32,
): void {
  let m = load<f64>(at8(acc, start));
  const mean = kind == SQUARED_DEVIATION ? load<f64>(at8(means, start)) : 0;
  for (let i = 0; i < n; i++, j += sx) m = fold(kind, m, read(x, j, isInt), mean);
  store<f64>(at8(acc, start), m);
}

/** Folds `batch` rows (1 to 4; row k from x at jk into the distinct accumulator element sk). */
function foldRows(
  kind: i32,
  x: usize,
  isInt: bool,
  acc: usize,
  means: usize,
  n: i32,
  sx: i32,
  batch: i32,
  s0: i32,
  j0: i32,
  s1: i32,
  j1: i32,
  s2: i32,
  j2: i32,
  s3: i32,
  j3: i32,
): void {
  if (batch == 1 || kind != SUM || isInt) {
    foldRow(kind, x, isInt, acc, means, n, sx, s0, j0);
    if (batch > 1) foldRow(kind, x, isInt, acc, means, n, sx, s1, j1);
    if (batch > 2) foldRow(kind, x, isInt, acc, means, n, sx, s2, j2);
    if (batch > 3) foldRow(kind, x, isInt, acc, means, n, sx, s3, j3);
    return;
  }
  // Float sums of two or three rows run four chains too: the missing rows repeat row 0, and their
  // sums are not stored.
  let m0 = load<f64>(at8(acc, s0));
  let m1 = load<f64>(at8(acc, s1));
  let m2 = batch > 2 ? load<f64>(at8(acc, s2)) : 0;
  let m3 = batch > 3 ? load<f64>(at8(acc, s3)) : 0;
  let p0 = at4(x, j0);
  let p1 = at4(x, j1);
  let p2 = batch > 2 ? at4(x, j2) : p0;
  let p3 = batch > 3 ? at4(x, j3) : p0;
  const step = (<usize>sx) << 2;
  for (let i = 0; i < n; i++) {
    m0 += <f64>load<f32>(p0);
    m1 += <f64>load<f32>(p1);
    m2 += <f64>load<f32>(p2);
    m3 += <f64>load<f32>(p3);
    p0 += step;
    p1 += step;
    p2 += step;
    p3 += step;
  }
  store<f64>(at8(acc, s0), m0);
  store<f64>(at8(acc, s1), m1);
  if (batch > 2) store<f64>(at8(acc, s2), m2);
  if (batch > 3) store<f64>(at8(acc, s3), m3);
}
