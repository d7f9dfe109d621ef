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
  for (let r = 0; r < rows; r++) {
    const start = offsetOf(state, 1);
    if (sa == 0) {
      if (start >= a0 && start < a1) {
        let j = offsetOf(state, 0);
        let m = load<f64>(at8(acc, start));
        const mean = kind == SQUARED_DEVIATION ? load<f64>(at8(means, start)) : 0;
        for (let i = 0; i < n; i++, j += sx) m = fold(kind, m, read(x, j, isInt), mean);
        store<f64>(at8(acc, start), m);
      }
    } else {
      // the elements i of the row whose accumulator start + i·sa lies in [a0, a1)
      const lo = max(0, (a0 - start + sa - 1) / sa);
      const hi = min(n, (a1 - start + sa - 1) / sa);
      let j = offsetOf(state, 0) + lo * sx;
      let a = start + lo * sa;
      for (let i = lo; i < hi; i++, j += sx, a += sa) {
        const mean = kind == SQUARED_DEVIATION ? load<f64>(at8(means, a)) : 0;
        store<f64>(at8(acc, a), fold(kind, load<f64>(at8(acc, a)), read(x, j, isInt), mean));
      }
    }
    nextRow(plan, 2, state);
  }
}
