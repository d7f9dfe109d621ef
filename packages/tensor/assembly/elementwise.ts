// Elementwise kernels with broadcasting: float32 binary arithmetic and comparisons, simple unary
// ops, strided copies (transpose, slice, concat, broadcast) and the in-place optimizer updates.
// Contiguous rows and rows against one repeated element run four lanes at a time (f32x4).
import { shareStart, workOf } from './parallel';
import {
  at4,
  callerRowState,
  nextRow,
  offsetOf,
  planDim,
  planRank,
  planStride,
  rowCount,
  seekRow,
  startRows,
} from './plan';

export const ADD: i32 = 0;
export const SUB: i32 = 1;
export const MUL: i32 = 2;
export const DIV: i32 = 3;
export const MIN: i32 = 4;
export const MAX: i32 = 5;
export const GT: i32 = 6;
export const GE: i32 = 7;
export const LT: i32 = 8;
export const LE: i32 = 9;
export const EQ: i32 = 10;
export const NE: i32 = 11;

// The per-element helpers are inlined into loops specialized per operator (the operator is a
// constant there, so the switch folds away instead of running once per vector).

// @ts-ignore: decorator
@inline
function vbin(op: i32, x: v128, y: v128): v128 {
  const one = f32x4.splat(1);
  switch (op) {
    case ADD:
      return f32x4.add(x, y);
    case SUB:
      return f32x4.sub(x, y);
    case MUL:
      return f32x4.mul(x, y);
    case DIV:
      return f32x4.div(x, y);
    case MIN:
      return f32x4.min(x, y);
    case MAX:
      return f32x4.max(x, y);
    case GT:
      return v128.and(f32x4.gt(x, y), one);
    case GE:
      return v128.and(f32x4.ge(x, y), one);
    case LT:
      return v128.and(f32x4.lt(x, y), one);
    case LE:
      return v128.and(f32x4.le(x, y), one);
    case EQ:
      return v128.and(f32x4.eq(x, y), one);
    default:
      return v128.and(f32x4.ne(x, y), one);
  }
}

// @ts-ignore: decorator
@inline
function sbin(op: i32, x: f32, y: f32): f32 {
  switch (op) {
    case ADD:
      return x + y;
    case SUB:
      return x - y;
    case MUL:
      return x * y;
    case DIV:
      return x / y;
    case MIN:
      return min(x, y);
    case MAX:
      return max(x, y);
    case GT:
      return x > y ? 1 : 0;
    case GE:
      return x >= y ? 1 : 0;
    case LT:
      return x < y ? 1 : 0;
    case LE:
      return x <= y ? 1 : 0;
    case EQ:
      return x == y ? 1 : 0;
    default:
      return x != y ? 1 : 0;
  }
}

function binaryRow(op: i32, o: usize, so: i32, a: usize, sa: i32, b: usize, sb: i32, n: i32): void {
  switch (op) {
    case ADD:
      binaryRowOf(ADD, o, so, a, sa, b, sb, n);
      break;
    case SUB:
      binaryRowOf(SUB, o, so, a, sa, b, sb, n);
      break;
    case MUL:
      binaryRowOf(MUL, o, so, a, sa, b, sb, n);
      break;
    case DIV:
      binaryRowOf(DIV, o, so, a, sa, b, sb, n);
      break;
    case MIN:
      binaryRowOf(MIN, o, so, a, sa, b, sb, n);
      break;
    case MAX:
      binaryRowOf(MAX, o, so, a, sa, b, sb, n);
      break;
    case GT:
      binaryRowOf(GT, o, so, a, sa, b, sb, n);
      break;
    case GE:
      binaryRowOf(GE, o, so, a, sa, b, sb, n);
      break;
    case LT:
      binaryRowOf(LT, o, so, a, sa, b, sb, n);
      break;
    case LE:
      binaryRowOf(LE, o, so, a, sa, b, sb, n);
      break;
    case EQ:
      binaryRowOf(EQ, o, so, a, sa, b, sb, n);
      break;
    default:
      binaryRowOf(NE, o, so, a, sa, b, sb, n);
  }
}

// @ts-ignore: decorator
@inline
function binaryRowOf(op: i32, o: usize, so: i32, a: usize, sa: i32, b: usize, sb: i32, n: i32): void {
  let i = 0;
  if (so == 1 && sa == 1 && sb == 1) {
    for (; i + 4 <= n; i += 4) v128.store(at4(o, i), vbin(op, v128.load(at4(a, i)), v128.load(at4(b, i))));
  } else if (so == 1 && sa == 1 && sb == 0) {
    const y = v128.load32_splat(b);
    for (; i + 4 <= n; i += 4) v128.store(at4(o, i), vbin(op, v128.load(at4(a, i)), y));
  } else if (so == 1 && sa == 0 && sb == 1) {
    const x = v128.load32_splat(a);
    for (; i + 4 <= n; i += 4) v128.store(at4(o, i), vbin(op, x, v128.load(at4(b, i))));
  }
  for (; i < n; i++)
    store<f32>(at4(o, i * so), sbin(op, load<f32>(at4(a, i * sa)), load<f32>(at4(b, i * sb))));
}

/** First element of `thread`'s share of `n` elements split in blocks of four. */
function blockStart(n: i32, thread: i32, threads: i32): i32 {
  return min(n, shareStart((n + 3) >> 2, thread, threads) << 2);
}

/**
 * out = a (op) b over a 3-operand plan (out, a, b), float32. A one-row plan is split over the
 * threads by blocks of four elements, a plan of several rows by rows (each thread walks its rows
 * with its own row state, `ROW_STATE_BYTES` at `ws + thread·wsBytes`).
 */
export function binary(
  op: i32,
  plan: usize,
  out: usize,
  a: usize,
  b: usize,
  ws: usize,
  wsBytes: usize,
  thread: i32,
  threads: i32,
): void {
  const rank = planRank(plan);
  const n = planDim(plan, rank - 1);
  const so = planStride(plan, 0, rank - 1);
  const sa = planStride(plan, 1, rank - 1);
  const sb = planStride(plan, 2, rank - 1);
  const rows = rowCount(plan);
  if (rows == 1) {
    const i0 = blockStart(n, thread, threads);
    const i1 = blockStart(n, thread + 1, threads);
    if (i1 > i0) binaryRow(op, at4(out, i0 * so), so, at4(a, i0 * sa), sa, at4(b, i0 * sb), sb, i1 - i0);
    return;
  }
  const state = workOf(ws, wsBytes, thread);
  const end = shareStart(rows, thread + 1, threads);
  let r = shareStart(rows, thread, threads);
  if (r < end) seekRow(plan, 3, state, r);
  for (; r < end; r++) {
    const o = at4(out, offsetOf(state, 0));
    binaryRow(op, o, so, at4(a, offsetOf(state, 1)), sa, at4(b, offsetOf(state, 2)), sb, n);
    nextRow(plan, 3, state);
  }
}

export const NEG: i32 = 0;
export const ABS: i32 = 1;
export const SQRT: i32 = 2;
export const SQUARE: i32 = 3;
export const RELU: i32 = 4;
export const STEP: i32 = 5;
export const SIGN: i32 = 6;
export const RECIPROCAL: i32 = 7;

// NaN stays NaN in relu, step and sign, as in the formula table (`x < 0 ? 0 : x >= 0 ? 1 : x`).
// @ts-ignore: decorator
@inline
function vun(op: i32, x: v128): v128 {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  switch (op) {
    case NEG:
      return f32x4.neg(x);
    case ABS:
      return f32x4.abs(x);
    case SQRT:
      return f32x4.sqrt(x);
    case SQUARE:
      return f32x4.mul(x, x);
    case RELU:
      return v128.bitselect(zero, x, f32x4.lt(x, zero));
    case STEP:
      return v128.bitselect(one, v128.bitselect(zero, x, f32x4.lt(x, zero)), f32x4.ge(x, zero));
    case SIGN:
      return v128.bitselect(one, v128.bitselect(f32x4.neg(one), x, f32x4.lt(x, zero)), f32x4.ge(x, zero));
    default:
      return f32x4.div(one, x);
  }
}

// @ts-ignore: decorator
@inline
function sun(op: i32, x: f32): f32 {
  switch (op) {
    case NEG:
      return -x;
    case ABS:
      return abs(x);
    case SQRT:
      return sqrt(x);
    case SQUARE:
      return x * x;
    case RELU:
      return x < 0 ? 0 : x;
    case STEP:
      return x < 0 ? 0 : x >= 0 ? 1 : x;
    case SIGN:
      return x < 0 ? -1 : x >= 0 ? 1 : x;
    default:
      return 1 / x;
  }
}

/** out[i] = op(x[i]) over `n` contiguous float32 elements; each thread takes a range of 4-element blocks. */
export function unary(op: i32, out: usize, x: usize, n: i32, thread: i32, threads: i32): void {
  const i = blockStart(n, thread, threads);
  const end = blockStart(n, thread + 1, threads);
  switch (op) {
    case NEG:
      unaryOf(NEG, out, x, i, end);
      break;
    case ABS:
      unaryOf(ABS, out, x, i, end);
      break;
    case SQRT:
      unaryOf(SQRT, out, x, i, end);
      break;
    case SQUARE:
      unaryOf(SQUARE, out, x, i, end);
      break;
    case RELU:
      unaryOf(RELU, out, x, i, end);
      break;
    case STEP:
      unaryOf(STEP, out, x, i, end);
      break;
    case SIGN:
      unaryOf(SIGN, out, x, i, end);
      break;
    default:
      unaryOf(RECIPROCAL, out, x, i, end);
  }
}

// @ts-ignore: decorator
@inline
function unaryOf(op: i32, out: usize, x: usize, i: i32, n: i32): void {
  for (; i + 4 <= n; i += 4) v128.store(at4(out, i), vun(op, v128.load(at4(x, i))));
  for (; i < n; i++) store<f32>(at4(out, i), sun(op, load<f32>(at4(x, i))));
}

/** Copies 4-byte elements over a 2-operand plan (destination, source): transpose, slice, concat, broadcast. */
export function stridedCopy(plan: usize, dst: usize, src: usize): void {
  const rows = startRows(plan, 2);
  const rank = planRank(plan);
  const n = planDim(plan, rank - 1);
  const sd = planStride(plan, 0, rank - 1);
  const ss = planStride(plan, 1, rank - 1);
  for (let r = 0; r < rows; r++) {
    const d = at4(dst, offsetOf(callerRowState, 0));
    const s = at4(src, offsetOf(callerRowState, 1));
    if (sd == 1 && ss == 1) memory.copy(d, s, (<usize>n) << 2);
    else if (sd == 1 && ss == 0) {
      const v = load<u32>(s);
      for (let i = 0; i < n; i++) store<u32>(at4(d, i), v);
    } else for (let i = 0; i < n; i++) store<u32>(at4(d, i * sd), load<u32>(at4(s, i * ss)));
    nextRow(plan, 2, callerRowState);
  }
}

/** t[i·st] += alpha·x[i·sx] for i < n (four lanes at a time when both are contiguous). */
function axpyRow(t: usize, st: i32, x: usize, sx: i32, alpha: f32, n: i32): void {
  const va = f32x4.splat(alpha);
  let i = 0;
  if (st == 1 && sx == 1) {
    for (; i + 4 <= n; i += 4) {
      v128.store(at4(t, i), f32x4.add(v128.load(at4(t, i)), f32x4.mul(va, v128.load(at4(x, i)))));
    }
  }
  for (; i < n; i++)
    store<f32>(at4(t, i * st), load<f32>(at4(t, i * st)) + alpha * load<f32>(at4(x, i * sx)));
}

/**
 * target += alpha·x over a 2-operand plan (target, x), float32, in place. A one-row plan (the
 * optimizers' contiguous updates) is split over the threads by blocks of four elements; a plan of
 * several rows runs on thread 0.
 */
export function axpy(plan: usize, target: usize, x: usize, alpha: f32, thread: i32, threads: i32): void {
  const rank = planRank(plan);
  const n = planDim(plan, rank - 1);
  const st = planStride(plan, 0, rank - 1);
  const sx = planStride(plan, 1, rank - 1);
  const rows = rowCount(plan);
  if (rows == 1) {
    const i0 = blockStart(n, thread, threads);
    const i1 = blockStart(n, thread + 1, threads);
    if (i1 > i0) axpyRow(at4(target, i0 * st), st, at4(x, i0 * sx), sx, alpha, i1 - i0);
    return;
  }
  if (thread != 0) return;
  startRows(plan, 2);
  for (let r = 0; r < rows; r++) {
    axpyRow(at4(target, offsetOf(callerRowState, 0)), st, at4(x, offsetOf(callerRowState, 1)), sx, alpha, n);
    nextRow(plan, 2, callerRowState);
  }
}

/** target *= factor over `n` contiguous float32 elements, in place. */
export function scale(target: usize, n: i32, factor: f32): void {
  const vf = f32x4.splat(factor);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at4(target, i), f32x4.mul(v128.load(at4(target, i)), vf));
  for (; i < n; i++) store<f32>(at4(target, i), load<f32>(at4(target, i)) * factor);
}
