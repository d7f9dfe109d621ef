/**
 * @fbt/gpu: a gpu.js backend for @fbt/tensor. Register it with `registerGpuBackend()` and switch to
 * it with `setBackend('gpu')`; model code does not change.
 * @packageDocumentation
 */
export { GpuBackend, type GpuProgram } from './backend';
export {
  chooseMode,
  glAvailability,
  type GlAvailability,
  type GpuDeviceInfo,
  type GpuMode,
  type GpuModeRequest,
} from './device';
export { backendInfo, gpuBackend, registerGpuBackend, type GpuBackendOptions } from './register';
export { GPU_KERNELS } from './kernels';
export type { GpuKernelDef } from './kernels/define';
