import type { KernelDef, TensorInfo } from '../../../backend/interface';
import { allocate, type TypedArray } from '../../../dtype';
import { ArgumentError } from '../../../errors';
import { sizeOf, stridesOf, type Shape } from '../../../shape';
import { axisLayout, forEachRow, planStrided } from '../iterate';
import { output, valuesOf } from '../io';

/**
 * Copies the box of shape `shape` from `src` (element (i₀,…) at `srcBase + Σ iₖ·srcStrides[k]`) to
 * `dst` (at `dstBase + Σ iₖ·dstStrides[k]`). Transpose, slice and concat are all such copies.
 */
function stridedCopy(
  dst: TypedArray,
  dstBase: number,
  dstStrides: readonly number[],
  src: TypedArray,
  srcBase: number,
  srcStrides: readonly number[],
  shape: Shape,
): void {
  const plan = planStrided(shape, [dstStrides, srcStrides]);
  const sd = plan.rowStrides[0]!;
  const ss = plan.rowStrides[1]!;
  forEachRow(plan, [dstBase, srcBase], (offsets, n) => {
    let d = offsets[0]!;
    let s = offsets[1]!;
    for (let i = 0; i < n; i++, d += sd, s += ss) dst[d] = src[s]!;
  });
}

const reshape: KernelDef<{ shape: number[] }> = {
  kernelName: 'reshape',
  kernelFunc: (inputs, attrs, backend) => output(backend, valuesOf(backend, inputs[0]!).slice(), attrs.shape),
};

const transpose: KernelDef<{ perm: number[] }> = {
  kernelName: 'transpose',
  kernelFunc: (inputs, attrs, backend) => {
    const info = inputs[0]!;
    const outShape = attrs.perm.map((p) => info.shape[p]!);
    const inStrides = stridesOf(info.shape);
    const out = allocate(info.dtype, sizeOf(outShape));
    const src = valuesOf(backend, info);
    stridedCopy(
      out,
      0,
      stridesOf(outShape),
      src,
      0,
      attrs.perm.map((p) => inStrides[p]!),
      outShape,
    );
    return output(backend, out, outShape);
  },
};

const slice: KernelDef<{ begin: number[]; size: number[] }> = {
  kernelName: 'slice',
  kernelFunc: (inputs, attrs, backend) => {
    const info = inputs[0]!;
    const inStrides = stridesOf(info.shape);
    const base = attrs.begin.reduce((sum, b, k) => sum + b * inStrides[k]!, 0);
    const out = allocate(info.dtype, sizeOf(attrs.size));
    stridedCopy(out, 0, stridesOf(attrs.size), valuesOf(backend, info), base, inStrides, attrs.size);
    return output(backend, out, attrs.size);
  },
};

const concat: KernelDef<{ axis: number }> = {
  kernelName: 'concat',
  kernelFunc: (inputs, attrs, backend) => {
    const first = inputs[0]!;
    const outShape = [...first.shape];
    outShape[attrs.axis] = inputs.reduce((sum, info) => sum + info.shape[attrs.axis]!, 0);
    const outStrides = stridesOf(outShape);
    const out = allocate(first.dtype, sizeOf(outShape));
    let at = 0;
    for (const info of inputs) {
      const base = at * outStrides[attrs.axis]!;
      stridedCopy(out, base, outStrides, valuesOf(backend, info), 0, stridesOf(info.shape), info.shape);
      at += info.shape[attrs.axis]!;
    }
    return output(backend, out, outShape);
  },
};

/** Throws an `ArgumentError` for an index outside `[0, size)`; `scope` says what it indexes. */
export function assertIndex(
  op: string,
  what: string,
  index: number,
  position: number,
  size: number,
  scope: string,
): void {
  if (!(index >= 0 && index < size)) {
    throw new ArgumentError(
      `${op}: ${what} ${index} at position ${position} is out of range ${scope}; expected an integer in [0, ${size})`,
    );
  }
}

/** Copies `n` contiguous elements; long rows use the engine's block copy. */
function copyRow(dst: TypedArray, d: number, src: TypedArray, s: number, n: number): void {
  if (n >= 64) dst.set(src.subarray(s, s + n), d);
  else for (let i = 0; i < n; i++) dst[d + i] = src[s + i]!;
}

const gather: KernelDef<{ axis: number }> = {
  kernelName: 'gather',
  kernelFunc: (inputs, attrs, backend): TensorInfo => {
    const [info, indexInfo] = [inputs[0]!, inputs[1]!];
    const x = valuesOf(backend, info);
    const indices = valuesOf(backend, indexInfo);
    const { outer, axisSize, inner } = axisLayout(info.shape, attrs.axis);
    const outShape = [
      ...info.shape.slice(0, attrs.axis),
      ...indexInfo.shape,
      ...info.shape.slice(attrs.axis + 1),
    ];
    const m = indices.length;
    const out = allocate(info.dtype, outer * m * inner);
    for (let k = 0; k < m; k++)
      assertIndex('gather', 'index', indices[k]!, k, axisSize, `for axis ${attrs.axis} of size ${axisSize}`);
    for (let o = 0; o < outer; o++) {
      for (let k = 0; k < m; k++)
        copyRow(out, (o * m + k) * inner, x, (o * axisSize + indices[k]!) * inner, inner);
    }
    return output(backend, out, outShape);
  },
};

const oneHot: KernelDef<{ depth: number }> = {
  kernelName: 'oneHot',
  kernelFunc: (inputs, attrs, backend) => {
    const info = inputs[0]!;
    const labels = valuesOf(backend, info);
    const out = new Float32Array(labels.length * attrs.depth);
    for (let i = 0; i < labels.length; i++) {
      const label = labels[i]!;
      assertIndex('oneHot', 'label', label, i, attrs.depth, `for depth ${attrs.depth}`);
      out[i * attrs.depth + label] = 1;
    }
    return output(backend, out, [...info.shape, attrs.depth]);
  },
};

/** CPU kernels of the shape family (broadcastTo lives with the elementwise kernels). */
export const shapeKernels: KernelDef[] = [reshape, transpose, slice, concat, gather, oneHot];
