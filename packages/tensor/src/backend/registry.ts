import { BackendError } from '../errors';
import { globalSingleton } from '../global-state';
import type { Backend, KernelDef, KernelFunc, TensorInfo } from './interface';

const kernels = globalSingleton('kernels', () => new Map<string, KernelFunc<object>>());

const key = (kernelName: string, backendName: string): string => `${backendName}/${kernelName}`;

/**
 * Registers (or replaces) kernels under a backend name. `registerBackend` calls it with a
 * definition's kernels; call it directly only to add or replace a kernel of a registered backend.
 */
export function registerKernels(backendName: string, defs: readonly KernelDef[]): void {
  for (const def of defs) kernels.set(key(def.kernelName, backendName), def.kernelFunc as KernelFunc<object>);
}

/** Looks up a kernel; throws a `BackendError` naming the kernel and backend when there is none. */
export function getKernel(kernelName: string, backendName: string): KernelFunc<object> {
  const fn = kernels.get(key(kernelName, backendName));
  if (fn === undefined) {
    throw new BackendError(`kernel '${kernelName}' is not registered for backend '${backendName}'`);
  }
  return fn;
}

/** True when the backend has the kernel. */
export function hasKernel(kernelName: string, backendName: string): boolean {
  return kernels.has(key(kernelName, backendName));
}

/** Names of the kernels registered for a backend, sorted. */
export function kernelsOf(backendName: string): string[] {
  const prefix = `${backendName}/`;
  return [...kernels.keys()]
    .filter((k) => k.startsWith(prefix))
    .map((k) => k.slice(prefix.length))
    .sort();
}

/** A kernel written for one backend class `B`, whose methods it may call (a wasm or gpu backend). */
export type BackendKernelFunc<A extends object, B extends Backend> = (
  inputs: readonly TensorInfo[],
  attrs: A,
  backend: B,
) => TensorInfo;

/**
 * Declares a kernel written for backend class `B` with attributes `A`. The engine passes a kernel the
 * backend it is registered under, so put the result only in the definition of backends of class `B`.
 */
export function defineBackendKernel<A extends object, B extends Backend>(
  kernelName: string,
  fn: BackendKernelFunc<A, B>,
): KernelDef {
  return {
    kernelName,
    kernelFunc: (inputs, attrs, backend) => fn(inputs, attrs as A, backend as B),
  };
}
