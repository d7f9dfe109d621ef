// Reductions into a float64 accumulator addressed with stride 0 along the reduced axes, over a
// 2-operand plan (x, accumulator); the input is read once in memory order. The JS side fills the
// accumulator with the initial value and converts it to the output dtype afterwards.
import { align16, shareStart, workOf } from './parallel';
import {
  ROW_STATE_BYTES,
  at4,
  nextRow,
  offsetOf,
  planDim,
  planRank,
  planStride,
  rowCount,
  seekRow,
} from './plan';

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

/** Rows folded side by side at most: eight chains, four `f64x2` of two rows each. */
const BATCH: i32 = 8;

/** Bytes of a thread's work block: its row state, then the batch (accumulator element, x offset) of each row. */
export function reduceWorkspace(): usize {
  return align16(ROW_STATE_BYTES) + <usize>(BATCH * 8);
}

/**
 * Folds `x` (float32, or int32 when `isInt`) into the float64 accumulator `acc` of `count`
 * elements with `kind`. Thread `thread` of `threads` owns a contiguous range of the accumulator
 * and folds only what lands there, walking the rows with its own row state and batch (`reduceWorkspace()` bytes at
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
  // Rows folded into one accumulator element each (sa == 0) go in batches of up to BATCH rows with
  // distinct elements, folded side by side (independent chains instead of one); a row whose
  // element is already in the batch flushes it first, so every element still takes its rows, and
  // each row's elements, in memory order.
  const rowsAt = state + align16(ROW_STATE_BYTES);
  let batch = 0;
  for (let r = 0; r < rows; r++) {
    const start = offsetOf(state, 1);
    if (sa == 0) {
      if (start >= a0 && start < a1) {
        if (batch == BATCH || inBatch(rowsAt, batch, start)) {
          foldRows(kind, x, isInt, acc, means, n, sx, batch, rowsAt);
          batch = 0;
        }
        store<i32>(at4(rowsAt, 2 * batch), start);
        store<i32>(at4(rowsAt, 2 * batch + 1), offsetOf(state, 0));
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
  if (batch > 0) foldRows(kind, x, isInt, acc, means, n, sx, batch, rowsAt);
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

/** Whether one of the first `batch` rows at `rowsAt` folds into accumulator element `start`. */
function inBatch(rowsAt: usize, batch: i32, start: i32): bool {
  for (let k = 0; k < batch; k++) if (load<i32>(at4(rowsAt, 2 * k)) == start) return true;
  return false;
}

/**
 * `m` (the running sums of rows r and s, a lane each) plus four elements of each row, `u` of r and
 * `v` of s, added one by one in order (each promoted to float64).
 */
function addRows(m: v128, u: v128, v: v128): v128 {
  const a = v128.shuffle<i32>(u, v, 0, 4, 1, 5);
  const b = v128.shuffle<i32>(u, v, 2, 6, 3, 7);
  m = f64x2.add(m, f64x2.promote_low_f32x4(a));
  m = f64x2.add(m, f64x2.promote_low_f32x4(v128.shuffle<i32>(a, a, 2, 3, 2, 3)));
  m = f64x2.add(m, f64x2.promote_low_f32x4(b));
  return f64x2.add(m, f64x2.promote_low_f32x4(v128.shuffle<i32>(b, b, 2, 3, 2, 3)));
}

/**
 * Folds `batch` rows (1 to BATCH; row k from x at offset `rowsAt[2k + 1]` into the distinct
 * accumulator element `rowsAt[2k]`). Float sums of contiguous rows go through `sumRows` first, each
 * lane adding its row's elements one by one in order: the same additions as `foldRow`.
 */
function foldRows(
  kind: i32,
  x: usize,
  isInt: bool,
  acc: usize,
  means: usize,
  n: i32,
  sx: i32,
  batch: i32,
  rowsAt: usize,
): void {
  let i = 0;
  if (batch > 1 && kind == SUM && !isInt && sx == 1) i = sumRows(x, acc, n, batch, rowsAt);
  // Every row whole, or its last n mod 4 elements after the vector rounds.
  if (i < n)
    for (let k = 0; k < batch; k++) {
      const start = load<i32>(at4(rowsAt, 2 * k));
      foldRow(kind, x, isInt, acc, means, n - i, sx, start, load<i32>(at4(rowsAt, 2 * k + 1)) + i * sx);
    }
}

/**
 * The vector rounds of `foldRows` for float sums of contiguous rows: up to eight chains, two rows to
 * an `f64x2` (a row past the batch in the last pair repeats row 0 and is not stored), four elements
 * of each row a round; returns how many elements of each row they folded (n rounded down to 4).
 */
function sumRows(x: usize, acc: usize, n: i32, batch: i32, rowsAt: usize): i32 {
  const p0 = at4(x, load<i32>(at4(rowsAt, 1)));
  const p1 = rowAt(x, rowsAt, 1, batch, p0);
  const p2 = rowAt(x, rowsAt, 2, batch, p0);
  const p3 = rowAt(x, rowsAt, 3, batch, p0);
  const p4 = rowAt(x, rowsAt, 4, batch, p0);
  const p5 = rowAt(x, rowsAt, 5, batch, p0);
  const p6 = rowAt(x, rowsAt, 6, batch, p0);
  const p7 = rowAt(x, rowsAt, 7, batch, p0);
  let m01 = sumPair(acc, rowsAt, 0, batch);
  let m23 = sumPair(acc, rowsAt, 2, batch);
  let m45 = sumPair(acc, rowsAt, 4, batch);
  let m67 = sumPair(acc, rowsAt, 6, batch);
  let i = 0;
  for (let o: usize = 0; i + 4 <= n; i += 4, o += 16) {
    // Pairs past the batch are skipped (a branch the same every round).
    m01 = addRows(m01, v128.load(p0 + o), v128.load(p1 + o));
    if (batch > 2) m23 = addRows(m23, v128.load(p2 + o), v128.load(p3 + o));
    if (batch > 4) m45 = addRows(m45, v128.load(p4 + o), v128.load(p5 + o));
    if (batch > 6) m67 = addRows(m67, v128.load(p6 + o), v128.load(p7 + o));
  }
  storePair(acc, rowsAt, 0, batch, m01);
  storePair(acc, rowsAt, 2, batch, m23);
  storePair(acc, rowsAt, 4, batch, m45);
  storePair(acc, rowsAt, 6, batch, m67);
  return i;
}

/** The address of row k of the batch, or `first` (row 0's) for a row past it. */
function rowAt(x: usize, rowsAt: usize, k: i32, batch: i32, first: usize): usize {
  return k < batch ? at4(x, load<i32>(at4(rowsAt, 2 * k + 1))) : first;
}

/** The running sums of rows k and k + 1 of the batch as one f64x2 (0 for a row past it). */
function sumPair(acc: usize, rowsAt: usize, k: i32, batch: i32): v128 {
  const lo = k < batch ? load<f64>(at8(acc, load<i32>(at4(rowsAt, 2 * k)))) : 0;
  const hi = k + 1 < batch ? load<f64>(at8(acc, load<i32>(at4(rowsAt, 2 * k + 2)))) : 0;
  return f64x2.replace_lane(f64x2.splat(lo), 1, hi);
}

/** Stores the lanes of `m` back to rows k and k + 1 of the batch (where they are in it). */
function storePair(acc: usize, rowsAt: usize, k: i32, batch: i32, m: v128): void {
  if (k < batch) store<f64>(at8(acc, load<i32>(at4(rowsAt, 2 * k))), f64x2.extract_lane(m, 0));
  if (k + 1 < batch) store<f64>(at8(acc, load<i32>(at4(rowsAt, 2 * k + 2))), f64x2.extract_lane(m, 1));
}
