import type { KernelConfig } from '../../../backend/interface';

/** CPU kernels of the matmul family. */
export const matmulKernels: KernelConfig<never>[] = [];
