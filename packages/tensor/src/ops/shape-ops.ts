import { ArgumentError, AxisError, DTypeError, ShapeError } from '../errors';
import {
  assertValidShape,
  broadcastShapes,
  formatShape,
  normalizeAxes,
  normalizeAxis,
  shapesEqual,
  sizeOf,
  type Shape,
} from '../shape';
import type { Tensor } from '../tensor';
import { expectTensor, runOne } from './operands';
import { sum } from './reduce';

function expectIntegerList(value: unknown, op: string, role: string): readonly number[] {
  if (!Array.isArray(value) || !value.every((v) => Number.isInteger(v))) {
    throw new ArgumentError(`${op}: ${role} is ${JSON.stringify(value)}; expected an array of integers`);
  }
  return value as readonly number[];
}

/**
 * The same elements with a new shape (row-major order is kept). One dimension may be −1; it is
 * inferred from the others.
 *
 * @example reshape(arange(6), [2, -1]); // shape [2, 3]
 */
export function reshape(x: Tensor, shape: Shape): Tensor {
  const t = expectTensor(x, 'reshape', 'x');
  const dims = [...expectIntegerList(shape, 'reshape', 'shape')];
  const inferred = dims.indexOf(-1);
  if (inferred !== -1) {
    if (dims.indexOf(-1, inferred + 1) !== -1) {
      throw new ArgumentError(
        `reshape: shape ${formatShape(dims)} has more than one -1; expected at most one`,
      );
    }
    const known = sizeOf(dims.filter((_, i) => i !== inferred));
    if (known === 0 || t.size % known !== 0) {
      throw new ShapeError(
        `reshape: cannot infer the -1 in ${formatShape(dims)} for a tensor of shape ${formatShape(t.shape)} (${t.size} elements)`,
      );
    }
    dims[inferred] = t.size / known;
  }
  assertValidShape(dims, 'reshape');
  if (sizeOf(dims) !== t.size) {
    throw new ShapeError(
      `reshape: cannot reshape a tensor of shape ${formatShape(t.shape)} (${t.size} elements) to ${formatShape(dims)} (${sizeOf(dims)} elements); expected the same number of elements`,
    );
  }
  return runOne('reshape', [t], { shape: dims });
}

/** Merges the axes `startAxis..endAxis` (inclusive; default all) into one. A scalar becomes shape [1]. */
export function flatten(x: Tensor, startAxis = 0, endAxis = -1): Tensor {
  const t = expectTensor(x, 'flatten', 'x');
  if (t.rank === 0) return reshape(t, [1]);
  const start = normalizeAxis(startAxis, t.rank, 'flatten');
  const end = normalizeAxis(endAxis, t.rank, 'flatten');
  if (start > end) {
    throw new AxisError(
      `flatten: startAxis ${startAxis} comes after endAxis ${endAxis} for rank ${t.rank}; expected start <= end`,
    );
  }
  const merged = sizeOf(t.shape.slice(start, end + 1));
  return reshape(t, [...t.shape.slice(0, start), merged, ...t.shape.slice(end + 1)]);
}

/**
 * Reorders the axes: output axis `i` is input axis `perm[i]`. Without `perm`, reverses the axes
 * (a matrix transpose for rank 2).
 */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  const t = expectTensor(x, 'transpose', 'x');
  const order =
    perm === undefined
      ? t.shape.map((_, i) => t.rank - 1 - i)
      : expectIntegerList(perm, 'transpose', 'perm').map((p) => normalizeAxis(p, t.rank, 'transpose'));
  if (order.length !== t.rank || new Set(order).size !== t.rank) {
    throw new AxisError(
      `transpose: perm [${(perm ?? []).join(', ')}] for a tensor of shape ${formatShape(t.shape)}; expected a permutation of 0..${t.rank - 1}`,
    );
  }
  return runOne('transpose', [t], { perm: order });
}

/** Alias of `transpose` with an explicit axis order. */
export function permute(x: Tensor, perm: readonly number[]): Tensor {
  return transpose(x, perm);
}

/** A copy of `x` broadcast (NumPy rules) to exactly `shape`. */
export function broadcastTo(x: Tensor, shape: Shape): Tensor {
  const t = expectTensor(x, 'broadcastTo', 'x');
  const target = [...expectIntegerList(shape, 'broadcastTo', 'shape')];
  assertValidShape(target, 'broadcastTo');
  if (!shapesEqual(broadcastShapes(t.shape, target, 'broadcastTo'), target)) {
    throw new ShapeError(
      `broadcastTo: shape ${formatShape(t.shape)} cannot broadcast to ${formatShape(target)}; expected each dimension (aligned on the right) to equal the target or be 1`,
    );
  }
  return runOne('broadcastTo', [t], { shape: target });
}

/**
 * The box starting at `begin` with extent `size` (one entry per axis; −1, or an omitted `size`,
 * runs to the end of the axis).
 */
export function slice(x: Tensor, begin: readonly number[], size?: readonly number[]): Tensor {
  const t = expectTensor(x, 'slice', 'x');
  const start = expectIntegerList(begin, 'slice', 'begin');
  const extent = size === undefined ? start.map(() => -1) : expectIntegerList(size, 'slice', 'size');
  if (start.length !== t.rank || extent.length !== t.rank) {
    throw new ShapeError(
      `slice: begin [${start.join(', ')}] and size [${extent.join(', ')}] for a tensor of shape ${formatShape(t.shape)}; expected ${t.rank} entries each`,
    );
  }
  const resolved = extent.map((s, i) => (s === -1 ? t.shape[i]! - start[i]! : s));
  t.shape.forEach((dim, i) => {
    const b = start[i]!;
    const s = resolved[i]!;
    if (b < 0 || s < 0 || b + s > dim) {
      throw new ArgumentError(
        `slice: axis ${i} of shape ${formatShape(t.shape)}: begin ${b}, size ${extent[i]}; expected 0 <= begin and begin + size <= ${dim}`,
      );
    }
  });
  return runOne('slice', [t], { begin: [...start], size: resolved });
}

/** Joins tensors of the same rank and dtype along `axis` (default 0); the other dimensions must agree. */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) {
    throw new ArgumentError('concat: got no tensors; expected a non-empty array of tensors');
  }
  const ts = tensors.map((v, i) => expectTensor(v, 'concat', `tensors[${i}]`));
  const first = ts[0]!;
  const a = normalizeAxis(axis, first.rank, 'concat');
  ts.forEach((t, i) => {
    if (t.dtype !== first.dtype) {
      throw new DTypeError(
        `concat: tensors[${i}] is ${t.dtype} but tensors[0] is ${first.dtype}; expected one dtype`,
      );
    }
    if (t.rank !== first.rank || t.shape.some((d, k) => k !== a && d !== first.shape[k])) {
      throw new ShapeError(
        `concat: tensors[${i}] has shape ${formatShape(t.shape)} and tensors[0] ${formatShape(first.shape)}; expected equal sizes except on axis ${a}`,
      );
    }
  });
  return runOne('concat', ts, { axis: a });
}

/** Inserts a size-1 axis at position `axis` (in `[-(rank+1), rank]`, default 0). */
export function expandDims(x: Tensor, axis = 0): Tensor {
  const t = expectTensor(x, 'expandDims', 'x');
  const a = normalizeAxis(axis, t.rank + 1, 'expandDims');
  return reshape(t, [...t.shape.slice(0, a), 1, ...t.shape.slice(a)]);
}

/** Removes the given size-1 axes (default: every size-1 axis). */
export function squeeze(x: Tensor, axis?: number | readonly number[]): Tensor {
  const t = expectTensor(x, 'squeeze', 'x');
  const axes =
    axis === undefined
      ? t.shape.flatMap((d, i) => (d === 1 ? [i] : []))
      : normalizeAxes(axis, t.rank, 'squeeze');
  for (const a of axes) {
    if (t.shape[a] !== 1) {
      throw new ShapeError(
        `squeeze: axis ${a} of shape ${formatShape(t.shape)} has size ${t.shape[a]}; expected size 1`,
      );
    }
  }
  return reshape(
    t,
    t.shape.filter((_, i) => !axes.includes(i)),
  );
}

/** Joins tensors of one shape and dtype along a new axis `axis` (in `[-(rank+1), rank]`, default 0). */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) {
    throw new ArgumentError('stack: got no tensors; expected a non-empty array of tensors');
  }
  const ts = tensors.map((v, i) => expectTensor(v, 'stack', `tensors[${i}]`));
  const first = ts[0]!;
  ts.forEach((t, i) => {
    if (!shapesEqual(t.shape, first.shape)) {
      throw new ShapeError(
        `stack: tensors[${i}] has shape ${formatShape(t.shape)} and tensors[0] ${formatShape(first.shape)}; expected one shape`,
      );
    }
  });
  const a = normalizeAxis(axis, first.rank + 1, 'stack');
  return concat(
    ts.map((t) => expandDims(t, a)),
    a,
  );
}

/**
 * Selects entries of `x` along `axis` (default 0) by the int32 `indices`: the axis is replaced by
 * the indices' shape. With axis 0 this picks rows (mini-batches). Indices outside
 * `[0, x.shape[axis])` throw an `ArgumentError`.
 */
export function gather(x: Tensor, indices: Tensor, axis = 0): Tensor {
  const t = expectTensor(x, 'gather', 'x');
  const idx = expectTensor(indices, 'gather', 'indices');
  if (idx.dtype !== 'int32') {
    throw new DTypeError(
      `gather: indices are ${idx.dtype} of shape ${formatShape(idx.shape)}; expected int32`,
    );
  }
  if (t.rank === 0) throw new ShapeError('gather: x is a scalar; expected a tensor of rank >= 1');
  return runOne('gather', [t, idx], { axis: normalizeAxis(axis, t.rank, 'gather') });
}

/** float32 one-hot rows `[...labels.shape, depth]` for int32 `labels` in `[0, depth)`. */
export function oneHot(labels: Tensor, depth: number): Tensor {
  const t = expectTensor(labels, 'oneHot', 'labels');
  if (t.dtype !== 'int32') {
    throw new DTypeError(`oneHot: labels are ${t.dtype} of shape ${formatShape(t.shape)}; expected int32`);
  }
  if (!Number.isInteger(depth) || depth <= 0) {
    throw new ArgumentError(`oneHot: depth ${depth}; expected a positive integer`);
  }
  return runOne('oneHot', [t], { depth });
}

/**
 * Sums `x` down to `shape`, the inverse of broadcasting `shape` up to `x.shape`: leading axes and
 * axes where `shape` has 1 are summed. Autograd uses it to bring a gradient back to an input's shape.
 */
export function sumTo(x: Tensor, shape: Shape): Tensor {
  const t = expectTensor(x, 'sumTo', 'x');
  const target = [...expectIntegerList(shape, 'sumTo', 'shape')];
  assertValidShape(target, 'sumTo');
  const lead = t.rank - target.length;
  if (lead < 0 || target.some((d, i) => d !== 1 && d !== t.shape[lead + i])) {
    throw new ShapeError(
      `sumTo: cannot sum shape ${formatShape(t.shape)} down to ${formatShape(target)}; expected a shape that broadcasts to ${formatShape(t.shape)}`,
    );
  }
  const axes = t.shape.flatMap((d, i) => (i < lead || (target[i - lead] === 1 && d !== 1) ? [i] : []));
  // Only leading axes summed (a bias gradient): the sum without them has the target shape already.
  if (axes.length > 0 && axes.every((a) => a < lead)) return sum(t, axes);
  return reshape(axes.length === 0 ? t : sum(t, axes, true), target);
}
