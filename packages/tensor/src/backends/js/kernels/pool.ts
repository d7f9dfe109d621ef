import type { KernelConfig } from '../../../backend/interface';

/** CPU kernels of the pool family. */
export const poolKernels: KernelConfig<never>[] = [];
