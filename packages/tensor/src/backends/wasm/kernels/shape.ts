import { sizeOf, stridesOf } from '../../../shape';
import { cpuFallback, defineKernel, type WasmKernelDef } from './define';

const reshape = defineKernel<{ shape: number[] }>('reshape', (inputs, attrs, backend) => {
  const x = inputs[0]!;
  const out = backend.output(attrs.shape, x.dtype);
  backend.view(out.dataId).set(backend.view(backend.data(x)));
  return out;
});

const transpose = defineKernel<{ perm: number[] }>('transpose', (inputs, attrs, backend) => {
  const x = inputs[0]!;
  const shape = attrs.perm.map((p) => x.shape[p]!);
  const inStrides = stridesOf(x.shape);
  const out = backend.output(shape, x.dtype);
  const plan = backend.plan(shape, [stridesOf(shape), attrs.perm.map((p) => inStrides[p]!)]);
  backend.exports.stridedCopy(plan, out.dataId.ptr, backend.ptr(x));
  return out;
});

const slice = defineKernel<{ begin: number[]; size: number[] }>('slice', (inputs, attrs, backend) => {
  const x = inputs[0]!;
  const inStrides = stridesOf(x.shape);
  const base = attrs.begin.reduce((sum, b, k) => sum + b * inStrides[k]!, 0);
  const out = backend.output(attrs.size, x.dtype);
  if (sizeOf(attrs.size) === 0) return out;
  const plan = backend.plan(attrs.size, [stridesOf(attrs.size), inStrides]);
  backend.exports.stridedCopy(plan, out.dataId.ptr, backend.ptr(x) + 4 * base);
  return out;
});

const concat = defineKernel<{ axis: number }>('concat', (inputs, attrs, backend) => {
  const first = inputs[0]!;
  const shape = [...first.shape];
  shape[attrs.axis] = inputs.reduce((sum, info) => sum + info.shape[attrs.axis]!, 0);
  const outStrides = stridesOf(shape);
  const out = backend.output(shape, first.dtype);
  let at = 0;
  for (const info of inputs) {
    if (sizeOf(info.shape) > 0) {
      const plan = backend.plan(info.shape, [outStrides, stridesOf(info.shape)]);
      backend.exports.stridedCopy(plan, out.dataId.ptr + 4 * at * outStrides[attrs.axis]!, backend.ptr(info));
    }
    at += info.shape[attrs.axis]!;
  }
  return out;
});

/** Wasm kernels of the shape family (`gather`/`oneHot` run the cpu kernels on wasm memory). */
export const shapeKernels: readonly WasmKernelDef[] = [
  reshape,
  transpose,
  slice,
  concat,
  cpuFallback('gather'),
  cpuFallback('oneHot'),
];
