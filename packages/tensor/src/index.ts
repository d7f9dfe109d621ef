/**
 * @fbt/tensor: float32 tensors, kernels and the pluggable backend interface of fbt.
 * @packageDocumentation
 */
export * from './errors';
export * from './options';
export * from './dtype';
export * from './shape';
export * from './rng';
export * from './portable-math';
export * from './tensor';
export * from './engine';
export * from './backend/interface';
export * from './backend/registry';
export { backendInfo, type BackendInfo } from './backend/info';
export * from './backend/families';
export type { BackendDefinition, RegisterBackendOptions } from './backend/definition';
export { CpuBackend, CPU_BACKEND } from './backends/cpu';
export {
  WasmBackend,
  wasmBackend,
  enableRelaxedSimd,
  wasmRelaxedSimdSupported,
  wasmSimdSupported,
  WASM_KERNELS,
  WASM_MEMORY_LIMITS,
  type RelaxedSimdStatus,
  type WasmModuleVariant,
} from './backends/wasm';
export { registerWasmBackend, type WasmBackendOptions } from './backends/wasm/register';
export { getThreads, setThreads, MAX_THREADS } from './backends/wasm/threads/settings';
export * from './ops';
// Shared by every backend (geometry and dtype rules the kernels must agree on).
export { matMulDims, type MatMulDims } from './geometry/matmul';
export { assertShape, convGeometry, convOutputShape, type ConvGeometry } from './geometry/conv';
export { poolGeometry, windowGeometry, type WindowGeometry } from './geometry/window';
export { reductionResultDType } from './kernel-dtypes';
export {
  ELEMENTWISE_OPS,
  elementwiseOp,
  opParams,
  type ElementwiseOpRecord,
  type WasmBinaryCode,
  type WasmUnaryCode,
} from './formula/op-table';
export { parseFormula, type FormulaTree } from './formula/parse';
export { mentionsName, printFormula, renameName, substituteName, withInputNames } from './formula/rewrite';
export { compileScalar, type ScalarFormula } from './backends/cpu/formula';
