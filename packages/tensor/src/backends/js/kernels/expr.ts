import type { KernelConfig } from '../../../backend/interface';

/** CPU kernels of the expr family. */
export const exprKernels: KernelConfig<never>[] = [];
