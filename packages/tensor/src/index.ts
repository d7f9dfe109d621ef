/**
 * @fbt/tensor: float32 tensors, kernels and the pluggable backend interface of fbt.
 * @packageDocumentation
 */
export * from './errors';
export * from './dtype';
export * from './shape';
export * from './rng';
export * from './tensor';
export * from './engine';
export * from './backend/interface';
export * from './backend/registry';
export { CpuBackend, createCpuBackend } from './backends/js';
export * from './ops';
