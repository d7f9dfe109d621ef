import type { Backend, KernelDef, TensorInfo } from '../../../backend/interface';
import { defineBackendKernel, type BackendKernelFunc } from '../../../backend/registry';
import type { DType, TypedArray } from '../../../dtype';
import { DTypeError } from '../../../errors';
import { formatShape, type Shape } from '../../../shape';
import { cpuKernel } from '../../cpu';
import type { WasmBackend } from '../backend';

/** A wasm kernel: like a `KernelFunc`, with the backend typed as `WasmBackend`. */
export type WasmKernelFunc<A extends object> = BackendKernelFunc<A, WasmBackend>;

/** A wasm kernel not yet bound to a backend name. */
export interface WasmKernelDef extends KernelDef {
  /** True when the kernel runs the cpu reference kernel on views of wasm memory (see `cpuFallback`). */
  readonly fallback: boolean;
}

/** Declares a wasm kernel. */
export function defineKernel<A extends object>(
  kernelName: string,
  fn: WasmKernelFunc<A>,
  fallback = false,
): WasmKernelDef {
  return { ...defineBackendKernel(kernelName, fn), fallback };
}

/**
 * Presents wasm storage to a cpu kernel: inputs are read through views of linear memory (no copy)
 * and each output the cpu kernel computes is copied into a new wasm block.
 */
class ViewBackend implements Backend {
  readonly name: string;
  constructor(private readonly wasm: WasmBackend) {
    this.name = `${wasm.name} (cpu kernels on its memory)`;
  }
  write(values: TypedArray, shape: Shape, dtype: DType): object {
    return this.wasm.write(values, shape, dtype);
  }
  readSync(dataId: object): TypedArray {
    return this.wasm.view(this.wasm.data(dataId));
  }
  read(dataId: object): Promise<TypedArray> {
    return Promise.resolve(this.readSync(dataId));
  }
  disposeData(dataId: object): void {
    this.wasm.disposeData(dataId);
  }
  numDataIds(): number {
    return this.wasm.numDataIds();
  }
  ready(): Promise<void> {
    return Promise.resolve();
  }
}

const adapters = new WeakMap<WasmBackend, ViewBackend>();

/** Runs the cpu reference kernel `kernelName` on wasm storage (inputs read in place, outputs copied in). */
export function runOnCpu(
  kernelName: string,
  inputs: readonly TensorInfo[],
  attrs: object,
  backend: WasmBackend,
): TensorInfo {
  let adapter = adapters.get(backend);
  if (adapter === undefined) {
    adapter = new ViewBackend(backend);
    adapters.set(backend, adapter);
  }
  const result = cpuKernel(kernelName)(inputs, attrs, adapter);
  return Array.isArray(result) ? result[0]! : result;
}

/** A kernel that runs the cpu reference kernel on wasm storage: for ops not ported to wasm. */
export function cpuFallback(kernelName: string): WasmKernelDef {
  return defineKernel(
    kernelName,
    (inputs, attrs, backend) => runOnCpu(kernelName, inputs, attrs, backend),
    true,
  );
}

/** The byte address of a float32 input; throws a `DTypeError` naming `op` for int32. */
export function float32Ptr(backend: WasmBackend, info: TensorInfo, op: string): number {
  if (info.dtype !== 'float32') {
    throw new DTypeError(
      `${op}: got a ${info.dtype} tensor of shape ${formatShape(info.shape)}; expected float32`,
    );
  }
  return backend.ptr(info);
}
