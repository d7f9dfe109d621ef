import type { KernelConfig } from '../../../backend/interface';

/** CPU kernels of the elementwise family. */
export const elementwiseKernels: KernelConfig<never>[] = [];
