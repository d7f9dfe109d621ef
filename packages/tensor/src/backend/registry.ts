import { BackendError } from '../errors';
import { globalSingleton } from '../global-state';
import type { KernelConfig, KernelFunc } from './interface';

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
