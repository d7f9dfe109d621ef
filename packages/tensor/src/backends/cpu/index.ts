import { kernelsOfFamilies, type KernelFamilies } from '../../backend/families';
import type { KernelConfig } from '../../backend/interface';
import { registerKernels } from '../../backend/registry';
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
const CPU_KERNELS: KernelFamilies<KernelConfig<never>> = {
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

let registered = false;

/** Creates the CPU reference backend, registering its kernels on first use. */
export function createCpuBackend(): CpuBackend {
  if (!registered) {
    registered = true;
    registerKernels([...kernelsOfFamilies(CPU_KERNELS), ...binaryKernels]);
  }
  return new CpuBackend();
}
