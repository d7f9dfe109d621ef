import type { KernelConfig } from '../../../backend/interface';

/** CPU kernels of the shape family. */
export const shapeKernels: KernelConfig<never>[] = [];
