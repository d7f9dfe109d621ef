import { stridesOf, type Shape } from '../../shape';

/**
 * Row-major iteration over several operands that share one logical shape, each addressed through
 * its own strides (a stride of 0 repeats an element: broadcasting, or a reduced axis).
 * Size-1 dimensions are dropped and neighbouring dimensions that are contiguous for every operand
 * are merged, so the innermost row is as long as possible. Offsets and strides are int32 (typed
 * arrays stay below 2³¹ elements), which keeps the compiled loops on small-integer indexing.
 */
export interface StridedPlan {
  /** Merged dimension sizes, outermost first; at least one. */
  readonly dims: readonly number[];
  /** Merged strides, one list per operand, each as long as `dims`. */
  readonly strides: readonly (readonly number[])[];
  /** Number of elements visited. */
  readonly size: number;
  /** Length of the innermost row. */
  readonly rowLength: number;
  /** Stride along the innermost row, per operand. */
  readonly rowStrides: Int32Array;
}

/** Builds the iteration plan of `shape` for operands addressed by `strides` (one list per operand). */
export function planStrided(shape: Shape, strides: readonly (readonly number[])[]): StridedPlan {
  // Plain loops, no closures: this runs once per elementwise kernel call.
  const operands = strides.length;
  const dims: number[] = [];
  const merged: number[][] = [];
  for (let k = 0; k < operands; k++) merged.push([]);
  let size = 1;
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d]!;
    size *= n;
    if (n === 1) continue;
    const last = dims.length - 1;
    let mergeable = last >= 0;
    for (let k = 0; mergeable && k < operands; k++) mergeable = merged[k]![last] === strides[k]![d]! * n;
    if (mergeable) {
      dims[last] = dims[last]! * n;
      for (let k = 0; k < operands; k++) merged[k]![last] = strides[k]![d]!;
    } else {
      dims.push(n);
      for (let k = 0; k < operands; k++) merged[k]!.push(strides[k]![d]!);
    }
  }
  if (dims.length === 0) {
    dims.push(1);
    for (const m of merged) m.push(0);
  }
  const rowStrides = new Int32Array(operands);
  for (let k = 0; k < operands; k++) rowStrides[k] = merged[k]![merged[k]!.length - 1]!;
  return { dims, strides: merged, size, rowLength: dims[dims.length - 1]!, rowStrides };
}

/**
 * Visits every innermost row of `plan` in row-major order. `visit` receives the start offset of the
 * row in each operand (a shared array: read it, do not keep or modify it) and the row length; the
 * per-operand stride along the row is `plan.rowStrides`. No allocation happens per row.
 */
export function forEachRow(
  plan: StridedPlan,
  baseOffsets: readonly number[],
  visit: (offsets: Int32Array, n: number) => void,
): void {
  if (plan.size === 0) return;
  const { dims, strides, rowLength } = plan;
  const outerRank = dims.length - 1;
  const operands = strides.length;
  const offsets = Int32Array.from(baseOffsets);
  const counter = new Int32Array(outerRank);
  const rows = plan.size / rowLength;
  for (let r = 0; r < rows; r++) {
    visit(offsets, rowLength);
    for (let d = outerRank - 1; d >= 0; d--) {
      const extent = dims[d]!;
      if (++counter[d]! < extent) {
        for (let k = 0; k < operands; k++) offsets[k]! += strides[k]![d]!;
        break;
      }
      counter[d] = 0;
      for (let k = 0; k < operands; k++) offsets[k]! -= strides[k]![d]! * (extent - 1);
    }
  }
}

/**
 * Strides that read a tensor of shape `from` as if it had the (broadcast) shape `to`: dimensions
 * are aligned on the right and a size-1 or missing dimension gets stride 0.
 */
export function broadcastStrides(from: Shape, to: Shape): number[] {
  const own = stridesOf(from);
  const offset = to.length - from.length;
  return to.map((_, i) => {
    const j = i - offset;
    return j < 0 || from[j] === 1 ? 0 : own[j]!;
  });
}

/** A tensor seen as `[outer, axisSize, inner]` around one axis (row-major). */
export interface AxisLayout {
  /** Product of the dimensions before the axis. */
  readonly outer: number;
  /** Size of the axis. */
  readonly axisSize: number;
  /** Product of the dimensions after the axis (the stride of the axis). */
  readonly inner: number;
}

/** The `[outer, axisSize, inner]` view of `shape` around `axis` (already normalized). */
export function axisLayout(shape: Shape, axis: number): AxisLayout {
  let outer = 1;
  let inner = 1;
  for (let d = 0; d < axis; d++) outer *= shape[d]!;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d]!;
  return { outer, axisSize: shape[axis]!, inner };
}
