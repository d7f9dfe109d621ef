import type { KernelConfig } from '../../../backend/interface';

/** CPU kernels of the softmax family. */
export const softmaxKernels: KernelConfig<never>[] = [];
