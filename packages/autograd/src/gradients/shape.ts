import { concat, matmul, oneHot, reshape, sizeOf, slice, transpose, zeros, type Tensor } from '@fbt/tensor';
import { registerGradient } from '../registry';
import { unbroadcast } from './unbroadcast';

/** Attrs of `slice`. */
interface SliceAttrs {
  readonly begin: readonly number[];
  readonly size: readonly number[];
}

/**
 * The gradient of `slice`: `dy` placed in a zero tensor of the input's shape, built by concatenating
 * zero blocks before and after the box along each axis where the box does not span the input.
 */
function unslice(dy: Tensor, x: Tensor, { begin, size }: SliceAttrs): Tensor {
  let g = dy;
  for (let axis = 0; axis < x.rank; axis++) {
    const before = begin[axis]!;
    const after = x.shape[axis]! - before - size[axis]!;
    if (before === 0 && after === 0) continue;
    const block = (n: number): Tensor => zeros(g.shape.map((d, i) => (i === axis ? n : d)));
    g = concat([...(before > 0 ? [block(before)] : []), g, ...(after > 0 ? [block(after)] : [])], axis);
  }
  return g;
}

/** The gradient of `concat`: each input gets its slab of `dy`. */
function unconcat(dy: Tensor, inputs: readonly Tensor[], axis: number): Tensor[] {
  let offset = 0;
  return inputs.map((x) => {
    const begin = dy.shape.map((_, i) => (i === axis ? offset : 0));
    offset += x.shape[axis]!;
    return slice(dy, begin, x.shape);
  });
}

/**
 * The gradient of `gather` along `axis`: a scatter-add of `dy` into the input's shape, written as a
 * matmul with the one-hot matrix of the indices (an index hit several times adds up). `x` is viewed
 * as `[P, A, Q]` (A the gathered axis) and `dy` as `[P, K, Q]` (K indices).
 */
function scatterAdd(dy: Tensor, x: Tensor, indices: Tensor, axis: number): Tensor {
  const p = sizeOf(x.shape.slice(0, axis));
  const a = x.shape[axis]!;
  const q = sizeOf(x.shape.slice(axis + 1));
  const k = indices.size;
  const hot = oneHot(reshape(indices, [k]), a);
  if (p === 1) return reshape(matmul(hot, reshape(dy, [k, q]), { transposeA: true }), x.shape);
  const rows = reshape(transpose(reshape(dy, [p, k, q]), [1, 0, 2]), [k, p * q]);
  const summed = matmul(hot, rows, { transposeA: true });
  return reshape(transpose(reshape(summed, [a, p, q]), [1, 0, 2]), x.shape);
}

/** Registers the gradients of the shape kernels. */
export function registerShapeGradients(): void {
  registerGradient('reshape', (dy, [x]) => [reshape(dy, x!.shape)]);
  registerGradient<{ perm: readonly number[] }>('transpose', (dy, _inputs, { perm }) => {
    const inverse = new Array<number>(perm.length);
    perm.forEach((p, i) => (inverse[p] = i));
    return [transpose(dy, inverse)];
  });
  registerGradient('broadcastTo', (dy, [x]) => [unbroadcast(dy, x!.shape)]);
  registerGradient<SliceAttrs>('slice', (dy, [x], attrs) => [unslice(dy, x!, attrs)]);
  registerGradient<{ axis: number }>('concat', (dy, inputs, { axis }) => unconcat(dy, inputs, axis));
  registerGradient<{ axis: number }>('gather', (dy, [x, indices], { axis }) => [
    scatterAdd(dy, x!, indices!, axis),
    null,
  ]);
}
