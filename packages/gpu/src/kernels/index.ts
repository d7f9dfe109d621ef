import { kernelsOfFamilies, type KernelFamilies } from '@fbt/tensor';
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

/** The gpu kernels, by family (the gpu backend has no bit-packed kernels: see docs/internals/kernels.md). */
export const GPU_KERNEL_FAMILIES: KernelFamilies<GpuKernelDef> = {
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

/** Every gpu kernel, family by family. */
export const GPU_KERNELS: readonly GpuKernelDef[] = kernelsOfFamilies(GPU_KERNEL_FAMILIES);
