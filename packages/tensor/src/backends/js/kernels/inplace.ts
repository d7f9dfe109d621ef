import type { KernelConfig } from '../../../backend/interface';

/** CPU kernels of the inplace family. */
export const inplaceKernels: KernelConfig<never>[] = [];
