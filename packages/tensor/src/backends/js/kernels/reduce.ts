import type { KernelConfig } from '../../../backend/interface';

/** CPU kernels of the reduce family. */
export const reduceKernels: KernelConfig<never>[] = [];
