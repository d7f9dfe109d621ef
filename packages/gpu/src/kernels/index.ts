import { kernelsOfFamilies, registerKernels } from '@fbt/tensor';
import { convKernels } from './conv';
import type { GpuKernelDef } from './define';
import { elementwiseKernels } from './elementwise';
import { exprKernels } from './expr';
import { inplaceKernels } from './inplace';
import { matmulKernels } from './matmul';
import { poolKernels } from './pool';
import { reduceKernels } from './reduce';
import { shapeKernels } from './shape';
import { softmaxKernels } from './softmax';

/** Every gpu kernel, by family. */
export const GPU_KERNELS: readonly GpuKernelDef[] = kernelsOfFamilies({
  elementwise: elementwiseKernels,
  reduce: reduceKernels,
  shape: shapeKernels,
  softmax: softmaxKernels,
  inplace: inplaceKernels,
  expr: exprKernels,
  matmul: matmulKernels,
  conv: convKernels,
  pool: poolKernels,
});

/** Registers every gpu kernel under `backendName`. */
export function registerGpuKernels(backendName: string): void {
  registerKernels(GPU_KERNELS.map((k) => k.toConfig(backendName)));
}
