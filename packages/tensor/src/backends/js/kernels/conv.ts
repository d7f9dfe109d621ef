import type { KernelConfig } from '../../../backend/interface';

/** CPU kernels of the conv family. */
export const convKernels: KernelConfig<never>[] = [];
