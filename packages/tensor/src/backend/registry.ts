import { BackendError } from '../errors';
import { globalSingleton } from '../global-state';
import type { Backend, KernelConfig, KernelFunc, TensorInfo } from './interface';

const kernels = globalSingleton('kernels', () => new Map<string, KernelFunc<object>>());

const key = (kernelName: string, backendName: string): string => `${backendName}/${kernelName}`;

/** Registers (or replaces) a kernel for a backend. */
export function registerKernel<A extends object>(config: KernelConfig<A>): void {
  kernels.set(key(config.kernelName, config.backendName), config.kernelFunc as KernelFunc<object>);
}

/** Registers many kernels at once. */
export function registerKernels(configs: readonly KernelConfig<never>[]): void {
  for (const c of configs) registerKernel(c as KernelConfig<object>);
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

/** A kernel not yet bound to a backend name; `toConfig(name)` gives the config `registerKernels` takes. */
export interface KernelDef {
  readonly kernelName: string;
  toConfig(backendName: string): KernelConfig<never>;
}

/**
 * Declares a kernel written for backend class `B` with attributes `A`. The engine passes a kernel the
 * backend it is registered under, so register the result (via `toConfig`) only under names of
 * backends of class `B`.
 */
export function defineBackendKernel<A extends object, B extends Backend>(
  kernelName: string,
  fn: BackendKernelFunc<A, B>,
): KernelDef {
  return {
    kernelName,
    toConfig: (backendName) =>
      ({
        kernelName,
        backendName,
        kernelFunc: (inputs, attrs, backend) => fn(inputs, attrs as A, backend as B),
      }) as KernelConfig<A> as unknown as KernelConfig<never>,
  };
}
