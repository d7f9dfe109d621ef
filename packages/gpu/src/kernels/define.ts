import { ArgumentError, type KernelConfig, type TensorInfo } from '@fbt/tensor';
import type { GpuBackend } from '../backend';

/** A gpu kernel: like a `KernelFunc`, with the backend typed as `GpuBackend`. */
export type GpuKernelFunc<A extends object> = (
  inputs: readonly TensorInfo[],
  attrs: A,
  backend: GpuBackend,
) => TensorInfo;

/** A named gpu kernel, registered under a backend name by `registerGpuKernels`. */
export interface GpuKernelDef {
  readonly kernelName: string;
  toConfig(backendName: string): KernelConfig<never>;
}

/** Declares a gpu kernel. */
export function defineKernel<A extends object>(kernelName: string, fn: GpuKernelFunc<A>): GpuKernelDef {
  return {
    kernelName,
    toConfig: (backendName) =>
      ({
        kernelName,
        backendName,
        kernelFunc: (inputs, attrs, backend) => fn(inputs, attrs as A, backend as GpuBackend),
      }) as KernelConfig<A> as unknown as KernelConfig<never>,
  };
}

/** The input at `index`; kernels are called with the inputs the contract lists. */
export function input(inputs: readonly TensorInfo[], index: number, op: string): TensorInfo {
  const t = inputs[index];
  if (t === undefined)
    throw new ArgumentError(`${op}: input ${index} is missing; got ${inputs.length} inputs`);
  return t;
}
