// Row-major iteration over operands that share one logical shape, each with its own strides (a
// stride of 0 repeats an element). The JS side merges dimensions and writes the plan as i32s:
// rank R, dims[R], then R strides per operand. Kernels walk the innermost rows; `nextRow` moves
// the per-operand element offsets to the next row. The walk's position (a row state: the element
// offset of each operand, then a counter per dimension) lives in a block of ROW_STATE_BYTES: the
// calling thread's static one, or a pool thread's own (carved from its work block).

const MAX_RANK: i32 = 32;
const MAX_OPERANDS: i32 = 4;
/** Bytes of a row state: MAX_OPERANDS offsets, then MAX_RANK counters. */
export const ROW_STATE_BYTES: usize = (MAX_OPERANDS + MAX_RANK) * 4;
/** Bytes of a row state (the work space a pool thread needs to walk a plan's rows). */
export function rowStateBytes(): usize {
  return ROW_STATE_BYTES;
}

/** The row state of kernels that run on the calling thread only. */
export const callerRowState = memory.data(<i32>ROW_STATE_BYTES, 16);

export function planRank(plan: usize): i32 {
  return load<i32>(plan);
}

export function planDim(plan: usize, d: i32): i32 {
  return load<i32>(plan + 4 + ((<usize>d) << 2));
}

export function planStride(plan: usize, operand: i32, d: i32): i32 {
  const rank = load<i32>(plan);
  return load<i32>(plan + 4 + ((<usize>(rank * (1 + operand) + d)) << 2));
}

/** Element offset of `operand` in the current row of the row state `state`. */
export function offsetOf(state: usize, operand: i32): i32 {
  return load<i32>(state + ((<usize>operand) << 2));
}

/** Number of innermost rows of the plan. */
export function rowCount(plan: usize): i32 {
  let rows = 1;
  for (let d = 0; d < planRank(plan) - 1; d++) rows *= planDim(plan, d);
  return rows;
}

/** Sets the row state `state` of `operands` operands to the start of row `row`. */
export function seekRow(plan: usize, operands: i32, state: usize, row: i32): void {
  const counters = state + ((<usize>MAX_OPERANDS) << 2);
  memory.fill(state, 0, (<usize>operands) << 2);
  if (row == 0) {
    memory.fill(counters, 0, (<usize>planRank(plan)) << 2); // also for plans with an empty dimension
    return;
  }
  for (let d = planRank(plan) - 2; d >= 0; d--) {
    const extent = planDim(plan, d);
    const count = row % extent;
    row /= extent;
    store<i32>(counters + ((<usize>d) << 2), count);
    for (let k = 0; k < operands; k++) {
      const o = state + ((<usize>k) << 2);
      store<i32>(o, load<i32>(o) + count * planStride(plan, k, d));
    }
  }
}

/** Number of innermost rows of the plan; sets the caller's row state to the first row. */
export function startRows(plan: usize, operands: i32): i32 {
  seekRow(plan, operands, callerRowState, 0);
  return rowCount(plan);
}

/** Advances the row state `state` of `operands` operands to the next innermost row. */
export function nextRow(plan: usize, operands: i32, state: usize): void {
  const counters = state + ((<usize>MAX_OPERANDS) << 2);
  const rank = planRank(plan);
  for (let d = rank - 2; d >= 0; d--) {
    const extent = planDim(plan, d);
    const at = counters + ((<usize>d) << 2);
    const count = load<i32>(at) + 1;
    if (count < extent) {
      store<i32>(at, count);
      for (let k = 0; k < operands; k++) {
        const o = state + ((<usize>k) << 2);
        store<i32>(o, load<i32>(o) + planStride(plan, k, d));
      }
      return;
    }
    store<i32>(at, 0);
    for (let k = 0; k < operands; k++) {
      const o = state + ((<usize>k) << 2);
      store<i32>(o, load<i32>(o) - planStride(plan, k, d) * (extent - 1));
    }
  }
}

/** Byte address of element `index` of a 4-byte array at `base`. */
export function at4(base: usize, index: i32): usize {
  return base + ((<usize>index) << 2);
}
