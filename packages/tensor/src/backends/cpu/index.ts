import type { BackendDefinition } from '../../backend/definition';
import { kernelsOfFamilies, type KernelFamilies } from '../../backend/families';
import type { KernelDef, KernelFunc } from '../../backend/interface';
import { BackendError } from '../../errors';
import { CpuBackend } from './backend';
import { binaryKernels } from './kernels/binary';
import { convKernels } from './kernels/conv';
import { elementwiseKernels } from './kernels/elementwise';
import { exprKernels } from './kernels/expr';
import { inplaceKernels } from './kernels/inplace';
import { matmulKernels } from './kernels/matmul';
import { poolKernels } from './kernels/pool';
import { reduceKernels } from './kernels/reduce';
import { shapeKernels } from './kernels/shape';
import { softmaxKernels } from './kernels/softmax';

export { CpuBackend } from './backend';

/** The cpu kernels, by family. */
const CPU_KERNELS: KernelFamilies<KernelDef> = {
  elementwise: elementwiseKernels,
  reduce: reduceKernels,
  shape: shapeKernels,
  softmax: softmaxKernels,
  inplace: inplaceKernels,
  expr: exprKernels,
  matmul: matmulKernels,
  conv: convKernels,
  pool: poolKernels,
};

/**
 * The cpu reference backend: typed arrays on the JS heap, kernels as plain loops. Registered by
 * every engine as `cpu` with priority 1; register it again (`registerBackend`) for another name.
 */
export const CPU_BACKEND: BackendDefinition = {
  name: 'cpu',
  priority: 1,
  create: (name) => new CpuBackend(name),
  kernels: CPU_KERNELS,
  extraKernels: binaryKernels,
};

let byName: Map<string, KernelFunc<object>> | null = null;

/**
 * The cpu reference kernel `kernelName`, whatever names the cpu backend is registered under. The
 * cpu kernels read and write through the backend they are given, so other backends run them on
 * their own storage (the wasm backend's fallbacks).
 */
export function cpuKernel(kernelName: string): KernelFunc<object> {
  byName ??= new Map(
    [...kernelsOfFamilies(CPU_KERNELS), ...binaryKernels].map((k) => [
      k.kernelName,
      k.kernelFunc as KernelFunc<object>,
    ]),
  );
  const fn = byName.get(kernelName);
  if (fn === undefined) throw new BackendError(`there is no cpu kernel '${kernelName}'`);
  return fn;
}
