import { registerKernels } from '../../backend/registry';
import { CpuBackend } from './backend';
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

let registered = false;

/** Creates the CPU reference backend, registering its kernels on first use. */
export function createCpuBackend(): CpuBackend {
  if (!registered) {
    registered = true;
    for (const family of [
      elementwiseKernels,
      reduceKernels,
      shapeKernels,
      softmaxKernels,
      inplaceKernels,
      exprKernels,
      matmulKernels,
      convKernels,
      poolKernels,
    ]) {
      registerKernels(family);
    }
  }
  return new CpuBackend();
}
