// Row-major iteration over operands that share one logical shape, each with its own strides (a
// stride of 0 repeats an element). The JS side merges dimensions and writes the plan as i32s:
// rank R, dims[R], then R strides per operand. Kernels walk the innermost rows; `nextRow` moves
// the per-operand element offsets to the next row.

const MAX_RANK: i32 = 32;
const MAX_OPERANDS: i32 = 4;
const counters = memory.data(MAX_RANK * 4, 16);
/** Element offsets of the current row, one per operand. */
export const offsets = memory.data(MAX_OPERANDS * 4, 16);

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

export function offsetOf(operand: i32): i32 {
  return load<i32>(offsets + ((<usize>operand) << 2));
}

/** Number of innermost rows of the plan; resets the row counters and offsets. */
export function startRows(plan: usize, operands: i32): i32 {
  const rank = planRank(plan);
  memory.fill(counters, 0, (<usize>rank) << 2);
  memory.fill(offsets, 0, (<usize>operands) << 2);
  let rows = 1;
  for (let d = 0; d < rank - 1; d++) rows *= planDim(plan, d);
  return rows;
}

/** Advances the offsets of `operands` operands to the next innermost row. */
export function nextRow(plan: usize, operands: i32): void {
  const rank = planRank(plan);
  for (let d = rank - 2; d >= 0; d--) {
    const extent = planDim(plan, d);
    const at = counters + ((<usize>d) << 2);
    const count = load<i32>(at) + 1;
    if (count < extent) {
      store<i32>(at, count);
      for (let k = 0; k < operands; k++) {
        const o = offsets + ((<usize>k) << 2);
        store<i32>(o, load<i32>(o) + planStride(plan, k, d));
      }
      return;
    }
    store<i32>(at, 0);
    for (let k = 0; k < operands; k++) {
      const o = offsets + ((<usize>k) << 2);
      store<i32>(o, load<i32>(o) - planStride(plan, k, d) * (extent - 1));
    }
  }
}

/** Byte address of element `index` of a 4-byte array at `base`. */
export function at4(base: usize, index: i32): usize {
  return base + ((<usize>index) << 2);
}
