import type { TensorInfo } from '../../../backend/interface';
import { broadcastOperands } from './elementwise';
import { defineKernel, runOnCpu, type WasmKernelDef } from './define';

const sameDtype = (inputs: readonly TensorInfo[]): boolean =>
  inputs.every((i) => i.dtype === inputs[0]!.dtype);

/** Wasm kernels of the in-place family (optimizer updates): each writes into its first input's block. */
export const inplaceKernels: readonly WasmKernelDef[] = [
  defineKernel<{ alpha: number }>('addInPlace', (inputs, attrs, backend) => {
    const [target, other] = [inputs[0]!, inputs[1]!];
    if (target.dtype !== 'float32' || other.dtype !== 'float32')
      return runOnCpu('addInPlace', inputs, attrs, backend);
    const plan = backend.plan(target.shape, broadcastOperands(target.shape, [other]));
    // A one-row plan (same shapes, contiguous) is shared out by blocks; others run on one thread.
    const work = backend.planRank(plan) === 1 ? backend.data(target).size : 0;
    backend.parallel('axpy', work, [plan, backend.ptr(target), backend.ptr(other), attrs.alpha]);
    return target;
  }),
  defineKernel<{ factor: number }>('scaleInPlace', (inputs, attrs, backend) => {
    const target = inputs[0]!;
    if (target.dtype !== 'float32') return runOnCpu('scaleInPlace', inputs, attrs, backend);
    const data = backend.data(target);
    backend.exports.scale(data.ptr, data.size, attrs.factor);
    return target;
  }),
  defineKernel<Record<string, never>>('assignInPlace', (inputs, attrs, backend) => {
    const [target, source] = [inputs[0]!, inputs[1]!];
    if (!sameDtype(inputs)) return runOnCpu('assignInPlace', inputs, attrs, backend);
    if (backend.data(target).size === 0) return target;
    const plan = backend.plan(target.shape, broadcastOperands(target.shape, [source]));
    backend.exports.stridedCopy(plan, backend.ptr(target), backend.ptr(source));
    return target;
  }),
  defineKernel<{ value: number }>('fillInPlace', (inputs, attrs, backend) => {
    const target = inputs[0]!;
    backend.view(backend.data(target)).fill(attrs.value);
    return target;
  }),
];
