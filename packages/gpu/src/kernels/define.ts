import {
  ArgumentError,
  defineBackendKernel,
  type BackendKernelFunc,
  type KernelDef,
  type TensorInfo,
} from '@fbt/tensor';
import type { GpuBackend } from '../backend';

/** A gpu kernel: like a `KernelFunc`, with the backend typed as `GpuBackend`. */
export type GpuKernelFunc<A extends object> = BackendKernelFunc<A, GpuBackend>;

/** A named gpu kernel, registered under a backend name with the gpu backend's definition. */
export type GpuKernelDef = KernelDef;

/** Declares a gpu kernel. */
export function defineKernel<A extends object>(kernelName: string, fn: GpuKernelFunc<A>): GpuKernelDef {
  return defineBackendKernel(kernelName, fn);
}

/** The input at `index`; kernels are called with the inputs the contract lists. */
export function input(inputs: readonly TensorInfo[], index: number, op: string): TensorInfo {
  const t = inputs[index];
  if (t === undefined)
    throw new ArgumentError(`${op}: input ${index} is missing; got ${inputs.length} inputs`);
  return t;
}
